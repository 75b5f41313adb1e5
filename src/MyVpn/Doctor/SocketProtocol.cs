namespace MyVpn.Doctor;

/// <summary>Which socket table a <see cref="BoundSocket"/> comes from.</summary>
public enum SocketProtocol
{
    Tcp,
    Udp,
}

namespace MyVpn.Doctor;

/// <summary>A network interface as /sys/class/net shows it: whether it exists, is administratively up, and its MTU.</summary>
public sealed record InterfaceFacts(string Name, bool Exists, bool IsUp, int Mtu)
{
    public static InterfaceFacts Missing(string name) => new(name, false, false, 0);
}

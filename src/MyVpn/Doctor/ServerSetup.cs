using MyVpn.Net;

namespace MyVpn.Doctor;

/// <summary>
/// The parts of the server's resolved config that the doctor's checks look at, and the name of the
/// nftables table the server adds for its tun device (<c>myvpn_tun0</c>).
/// </summary>
public sealed record ServerSetup(string Tun, NetEndpoint Listen, ushort FirstPort, ushort LastPort, string? Masquerade, int Mtu, string NatTable)
{
    public string PortRange => $"{FirstPort}-{LastPort}";
}

using MyVpn.Net;

namespace MyVpn.Server;

/// <summary>
/// One client the server accepts: its name, its 256-bit pre-shared key, optionally a fixed VPN address and
/// a tunnel MTU of its own (for a client whose path is narrower than the server's <c>mtu</c>; granted to it,
/// and what the server clamps and answers "too big" by for packets to it).
/// </summary>
public sealed record ClientEntry(string Name, byte[] Key, IPv4Address? StaticAddress = null, int? Mtu = null);

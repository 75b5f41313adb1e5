using MyVpn.Net;

namespace MyVpn.Server;

/// <summary>
/// One client the server accepts: its name, its 256-bit pre-shared key, optionally a fixed VPN address and
/// a tunnel MTU of its own (for a client whose path is narrower than the server's <c>mtu</c>; granted to it,
/// and what the server clamps and answers "too big" by for packets to it).
/// </summary>
public sealed record ClientEntry(string Name, byte[] Key, IPv4Address? StaticAddress = null, int? Mtu = null)
{
    /// <summary>
    /// False (<c>ipv6 = false</c> in its <c>[[clients]]</c> table): the client gets no IPv6 in its grant even when the
    /// server has an IPv6 subnet, for a client of a version that refuses a grant with IPv6. From its next connection.
    /// </summary>
    public bool Ipv6 { get; init; } = true;
}

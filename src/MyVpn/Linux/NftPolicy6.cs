using System.Net;

namespace MyVpn.Linux;

/// <summary>What the server's <c>ip6</c> nftables table enforces for IPv6 inside the tunnel: the kernel's copy of the reach policy, and NAT66.</summary>
/// <param name="Tun">The server's tun device: only traffic arriving from it is filtered.</param>
/// <param name="Subnet">The VPN's IPv6 subnet (<c>subnet6</c>): the blocked ranges do not apply inside it.</param>
/// <param name="ServerAddress">The server's IPv6 VPN address, the one local IPv6 address clients may reach.</param>
/// <param name="Blocked">Prefixes clients may not reach (the reach policy's IPv6 defaults and the IPv6 entries of <c>block</c>).</param>
/// <param name="Allowed">Prefixes clients may reach whatever else says.</param>
/// <param name="ClientToClient">False: traffic from the tun back into it is dropped.</param>
/// <param name="MasqueradeOut">The interface to masquerade the IPv6 subnet out of (NAT66), or null to route it.</param>
internal sealed record NftPolicy6(
    string Tun, IPNetwork Subnet, IPAddress ServerAddress, IReadOnlyList<IPNetwork> Blocked,
    IReadOnlyList<IPNetwork> Allowed, bool ClientToClient, string? MasqueradeOut);

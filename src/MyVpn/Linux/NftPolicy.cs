using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>What the server's own nftables table enforces: the kernel's copy of the router's reach policy, and NAT.</summary>
/// <param name="Tun">The server's tun device: only traffic arriving from it is filtered.</param>
/// <param name="Subnet">The VPN subnet: the ranges do not apply inside it, as in the router.</param>
/// <param name="ServerAddress">The server's VPN address, the one local address clients may reach.</param>
/// <param name="Blocked">Ranges clients may not reach (the built-in ones and <c>block</c>).</param>
/// <param name="Allowed">Ranges clients may reach whatever else says (<c>allow</c>).</param>
/// <param name="ClientToClient">False: traffic from the tun back into it is dropped.</param>
/// <param name="MasqueradeOut">The interface to MASQUERADE the subnet out of, or null for none.</param>
internal sealed record NftPolicy(
    string Tun, IPv4Subnet Subnet, IPv4Address ServerAddress, IReadOnlyList<IPv4Range> Blocked,
    IReadOnlyList<IPv4Range> Allowed, bool ClientToClient, string? MasqueradeOut);

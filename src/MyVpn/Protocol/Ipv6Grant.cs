using MyVpn.Net;

namespace MyVpn.Protocol;

/// <summary>
/// The IPv6 part of a grant (docs/protocol.md §2.4, extension section 1): the client's IPv6 address inside the
/// tunnel, the prefix length of the VPN's IPv6 subnet and the server's IPv6 address in it. A grant without it
/// is IPv4-only.
/// </summary>
public sealed record Ipv6Grant(IPv6Address ClientAddress, int PrefixLength, IPv6Address ServerAddress)
{
    public IPv6Subnet Subnet => new(ClientAddress, PrefixLength);

    /// <summary>The grant as a message shows it; prints an invalid one too (<see cref="Subnet"/> would throw for its prefix).</summary>
    public override string ToString() => $"{ClientAddress}/{PrefixLength}, server {ServerAddress}";

    /// <summary>
    /// Why a client refuses this part, or null: the prefix is /64../120, both addresses are hosts of that subnet
    /// (not its first address), differ, and the subnet is not inside ::/8, fe80::/10 or ff00::/8.
    /// </summary>
    public string? Problem()
    {
        if (PrefixLength is < IPv6Subnet.MinPrefixLength or > IPv6Subnet.MaxPrefixLength)
            return $"IPv6 prefix /{PrefixLength} is outside /{IPv6Subnet.MinPrefixLength}../{IPv6Subnet.MaxPrefixLength}";
        var subnet = Subnet;
        if (!subnet.Contains(ServerAddress))
            return $"server IPv6 address {ServerAddress} is outside {subnet}";
        if (ClientAddress == ServerAddress)
            return "client and server have the same IPv6 address";
        if (ClientAddress == subnet.Network || ServerAddress == subnet.Network)
            return $"the first address of {subnet} is not a host's";
        if (SpecialRange(subnet.Network) is { } range)
            return $"IPv6 subnet {subnet} is inside {range}";
        return null;
    }

    private static readonly (IPv6Range Range, string Name)[] Special =
    [
        (IPv6Range.Parse("::/8"), "::/8 (unspecified, loopback, IPv4-mapped)"),
        (IPv6Range.Parse("fe80::/10"), "fe80::/10 (link-local)"),
        (IPv6Range.Parse("ff00::/8"), "ff00::/8 (multicast)"),
    ];

    private static string? SpecialRange(IPv6Address address)
    {
        foreach (var (range, name) in Special)
            if (range.Contains(address))
                return name;
        return null;
    }
}

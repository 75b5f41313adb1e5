using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Server;

/// <summary>
/// The IPv6 half of the reach policy, with the meaning <see cref="ReachPolicy"/> gives IPv4: a destination in an
/// <c>allow</c> range is reachable; else one of the server host's own IPv6 addresses (other than its VPN address)
/// is not (<see cref="DropReason.BlockedHostAddress"/>); else one in a range blocked by default or by
/// <c>block</c> is not (<see cref="DropReason.BlockedRange"/>); everything else is. Inside the VPN's IPv6 subnet
/// only <c>client_to_client</c> applies. Ranges of one family never match the other's addresses.
/// </summary>
/// <remarks>A check is a scan of a few ranges over the packet's 16 address bytes in place: no allocation.</remarks>
public sealed class ReachPolicy6
{
    /// <summary>
    /// Blocked unless an <c>allow</c> range reopens them, the counterparts of IPv4's defaults: ::/128
    /// (unspecified), ::1/128 (loopback), ::ffff:0:0/96 (IPv4-mapped, which would get around the IPv4 policy),
    /// fe80::/10 (link-local), fec0::/10 (the old site-local) and ff00::/8 (multicast).
    /// </summary>
    public static IReadOnlyList<IPv6Range> BlockedByDefault { get; } =
    [
        IPv6Range.Parse("::/128"),
        IPv6Range.Parse("::1/128"),
        IPv6Range.Parse("::ffff:0:0/96"),
        IPv6Range.Parse("fe80::/10"),
        IPv6Range.Parse("fec0::/10"),
        IPv6Range.Parse("ff00::/8"),
    ];

    private readonly IPv6Subnet _subnet;
    private readonly IPv6Range[] _allowed;
    private readonly IPv6Range[] _hosts;
    private readonly IPv6Range[] _blocked;

    /// <param name="subnet">The VPN's IPv6 subnet, which the ranges do not apply to.</param>
    /// <param name="serverAddress">The server's VPN IPv6 address: reachable although it is one of the host's.</param>
    /// <param name="hostAddresses">The server host's own IPv6 addresses, gathered at start.</param>
    /// <param name="block">Blocked in addition to <see cref="BlockedByDefault"/>.</param>
    /// <param name="allow">Reachable whatever else says.</param>
    public ReachPolicy6(IPv6Subnet subnet, IPv6Address serverAddress, IEnumerable<IPv6Address> hostAddresses,
        IEnumerable<IPv6Range> block, IEnumerable<IPv6Range> allow)
    {
        _subnet = subnet;
        _allowed = [.. allow];
        _hosts = [.. hostAddresses.Where(a => a != serverAddress && !subnet.Contains(a)).Select(IPv6Range.Single)];
        _blocked = [.. BlockedByDefault, .. block];
    }

    /// <summary>True when a client may send to <paramref name="destination"/> (16 bytes), an address outside the VPN subnet.</summary>
    public bool Allows(ReadOnlySpan<byte> destination, out DropReason reason)
    {
        reason = default;
        if (_subnet.Contains(destination) || AnyContains(_allowed, destination))
            return true;
        if (AnyContains(_hosts, destination))
        {
            reason = DropReason.BlockedHostAddress;
            return false;
        }
        if (AnyContains(_blocked, destination))
        {
            reason = DropReason.BlockedRange;
            return false;
        }
        return true;
    }

    public bool Allows(IPv6Address destination, out DropReason reason)
    {
        Span<byte> bytes = stackalloc byte[IPv6Address.Size];
        destination.Write(bytes);
        return Allows(bytes, out reason);
    }

    private static bool AnyContains(IPv6Range[] ranges, ReadOnlySpan<byte> address)
    {
        foreach (var range in ranges)
            if (range.Contains(address))
                return true;
        return false;
    }
}

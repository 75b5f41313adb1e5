using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Server;

/// <summary>
/// What clients may reach outside the VPN subnet, and whether they may reach each other. Precedence: a
/// destination in an <c>allow</c> range is reachable; else one of the server host's own addresses (other than
/// its VPN address) is not (<see cref="DropReason.BlockedHostAddress"/>); else one in a range blocked by
/// default or by <c>block</c> is not (<see cref="DropReason.BlockedRange"/>); everything else is. Inside the
/// VPN subnet only <c>client_to_client</c> applies, so blocking 10.0.0.0/8 does not cut clients off the VPN.
/// </summary>
/// <remarks>
/// The ranges are resolved once, at construction, into sorted disjoint intervals of denied addresses, each
/// with its reason: a check is a binary search over a few integers, with no allocation.
/// </remarks>
public sealed class ReachPolicy
{
    /// <summary>
    /// Blocked unless an <c>allow</c> range reopens them: 0.0.0.0/8 ("this host"), 127.0.0.0/8 (loopback),
    /// 169.254.0.0/16 (link-local, where clouds serve instance metadata and credentials) and 224.0.0.0/3
    /// (multicast, reserved, and the limited broadcast 255.255.255.255).
    /// </summary>
    public static IReadOnlyList<IPv4Range> BlockedByDefault { get; } =
    [
        IPv4Range.Parse("0.0.0.0/8"),
        IPv4Range.Parse("127.0.0.0/8"),
        IPv4Range.Parse("169.254.0.0/16"),
        IPv4Range.Parse("224.0.0.0/3"),
    ];

    private readonly IPv4Subnet _subnet;
    private readonly uint[] _first;
    private readonly uint[] _last;
    private readonly DropReason[] _reasons;

    /// <param name="subnet">The VPN subnet, which the ranges do not apply to.</param>
    /// <param name="serverAddress">The server's VPN address: reachable although it is one of the host's.</param>
    /// <param name="hostAddresses">The server host's own addresses (and broadcast addresses), gathered at start.</param>
    /// <param name="block">Blocked in addition to <see cref="BlockedByDefault"/>.</param>
    /// <param name="allow">Reachable whatever else says.</param>
    /// <param name="clientToClient">Whether clients may send to one another.</param>
    public ReachPolicy(IPv4Subnet subnet, IPv4Address serverAddress, IEnumerable<IPv4Address> hostAddresses,
        IEnumerable<IPv4Range> block, IEnumerable<IPv4Range> allow, bool clientToClient)
    {
        _subnet = subnet;
        ClientToClient = clientToClient;
        var hosts = hostAddresses.Where(a => a != serverAddress && !subnet.Contains(a)).Select(IPv4Range.Single).ToList();
        var blocked = BlockedByDefault.Concat(block).ToList();
        var allowed = allow.ToList();

        // Every edge of every range splits the address space into pieces that each range covers wholly or not
        // at all; decide each piece at its first address, then merge neighbours with the same decision.
        var edges = new SortedSet<ulong> { 0, 1UL << 32 };
        foreach (var range in hosts.Concat(blocked).Concat(allowed))
        {
            edges.Add(range.First.Value);
            edges.Add((ulong)range.Last.Value + 1);
        }
        var first = new List<uint>();
        var last = new List<uint>();
        var reasons = new List<DropReason>();
        var points = edges.ToArray();
        for (var i = 0; i + 1 < points.Length; i++)
        {
            var probe = new IPv4Address((uint)points[i]);
            DropReason? reason = allowed.Any(r => r.Contains(probe)) ? null
                : hosts.Any(r => r.Contains(probe)) ? DropReason.BlockedHostAddress
                : blocked.Any(r => r.Contains(probe)) ? DropReason.BlockedRange
                : null;
            if (reason is not { } denied)
                continue;
            var end = (uint)(points[i + 1] - 1);
            if (first.Count > 0 && reasons[^1] == denied && last[^1] + 1UL == points[i])
                last[^1] = end;
            else
            {
                first.Add((uint)points[i]);
                last.Add(end);
                reasons.Add(denied);
            }
        }
        _first = [.. first];
        _last = [.. last];
        _reasons = [.. reasons];
    }

    public bool ClientToClient { get; }

    /// <summary>True when a client may send to <paramref name="destination"/>, an address outside the VPN subnet.</summary>
    public bool Allows(IPv4Address destination, out DropReason reason)
    {
        var value = destination.Value;
        int low = 0, high = _first.Length - 1;
        while (low <= high) // the last interval starting at or before the address
        {
            var middle = (low + high) >>> 1;
            if (_first[middle] <= value)
                low = middle + 1;
            else
                high = middle - 1;
        }
        if (high >= 0 && value <= _last[high] && !_subnet.Contains(destination))
        {
            reason = _reasons[high];
            return false;
        }
        reason = default;
        return true;
    }
}

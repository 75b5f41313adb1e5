using MyVpn.Net;

namespace MyVpn.Doctor;

/// <summary>One IPv4 route of the main table (<c>ip -4 route show</c>): its destination and device.</summary>
public sealed record RouteEntry(IPv4Range Destination, string Device)
{
    /// <summary>The route the kernel picks for <paramref name="address"/>: the longest matching prefix (metrics aside).</summary>
    public static RouteEntry? Lookup(IEnumerable<RouteEntry> routes, IPv4Address address) =>
        routes.Where(r => r.Destination.Contains(address)).MaxBy(r => r.Destination.PrefixLength);
}

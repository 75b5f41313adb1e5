using MyVpn.Net;

namespace MyVpn.Protocol;

/// <summary>
/// What a server pushes to its clients in the grant's extension (docs/protocol.md §2.4): routes into
/// the tunnel, DNS servers and DNS search domains. Each list is bounded and each entry checked by the
/// rules here, which the server's config and the client's decoder share, so a server can never send
/// what its clients would refuse. Compared by content: a client applies the same settings only once.
/// </summary>
public sealed class PushedSettings : IEquatable<PushedSettings>
{
    public const int MaxRoutes = 32;
    public const int MaxDnsServers = 4;
    public const int MaxSearchDomains = 8;

    /// <summary>The shortest prefix a pushed route may have: pushed routes are split-tunnel routes, never the whole internet.</summary>
    public const int MinRoutePrefix = 8;

    public const int MaxDomainLength = 253;
    public const int MaxLabelLength = 63;

    public static readonly PushedSettings None = new([], [], []);

    public PushedSettings(IReadOnlyList<IPv4Range> routes, IReadOnlyList<IPv4Address> dnsServers, IReadOnlyList<string> searchDomains)
    {
        Routes = routes;
        DnsServers = dnsServers;
        SearchDomains = searchDomains;
    }

    public IReadOnlyList<IPv4Range> Routes { get; }
    public IReadOnlyList<IPv4Address> DnsServers { get; }
    public IReadOnlyList<string> SearchDomains { get; }

    public bool IsEmpty => Routes.Count == 0 && DnsServers.Count == 0 && SearchDomains.Count == 0;

    /// <summary>Why the lists as a whole cannot be pushed (too many entries, an entry twice), or null.</summary>
    public string? Problem()
    {
        if (Routes.Count > MaxRoutes)
            return $"{Routes.Count} routes: at most {MaxRoutes} may be pushed";
        if (DnsServers.Count > MaxDnsServers)
            return $"{DnsServers.Count} DNS servers: at most {MaxDnsServers} may be pushed";
        if (SearchDomains.Count > MaxSearchDomains)
            return $"{SearchDomains.Count} search domains: at most {MaxSearchDomains} may be pushed";
        foreach (var route in Routes)
            if (RouteProblem(route) is { } problem)
                return problem;
        foreach (var server in DnsServers)
            if (DnsServerProblem(server) is { } problem)
                return problem;
        foreach (var domain in SearchDomains)
            if (SearchDomainProblem(domain) is { } problem)
                return problem;
        if (Routes.Distinct().Count() != Routes.Count)
            return "a route is listed twice";
        if (DnsServers.Distinct().Count() != DnsServers.Count)
            return "a DNS server is listed twice";
        if (SearchDomains.Distinct(StringComparer.OrdinalIgnoreCase).Count() != SearchDomains.Count)
            return "a search domain is listed twice";
        return null;
    }

    /// <summary>
    /// Why <paramref name="route"/> may not be pushed, or null: shorter than /8 (the whole internet, or
    /// half of it, is the client's own choice: its full tunnel), or inside 0.0.0.0/8, loopback,
    /// link-local or multicast and above.
    /// </summary>
    public static string? RouteProblem(IPv4Range route)
    {
        if (route.PrefixLength < MinRoutePrefix)
            return $"route {route} is shorter than /{MinRoutePrefix}: a full tunnel is the client's choice (--default-route), not pushed";
        return SpecialRange(route.First) is { } range ? $"route {route} is inside {range}" : null;
    }

    /// <summary>Why <paramref name="server"/> may not be pushed as a DNS server, or null.</summary>
    public static string? DnsServerProblem(IPv4Address server) =>
        SpecialRange(server) is { } range ? $"DNS server {server} is inside {range}" : null;

    /// <summary>
    /// Why <paramref name="domain"/> is not a DNS name a search list may hold, or null: labels of 1 to
    /// 63 letters, digits and hyphens, not starting or ending with a hyphen, separated by dots, 253
    /// characters at most, no trailing dot.
    /// </summary>
    public static string? SearchDomainProblem(string domain)
    {
        if (domain.Length is 0 or > MaxDomainLength)
            return $"search domain of {domain.Length} characters: 1 to {MaxDomainLength} allowed";
        foreach (var label in domain.Split('.'))
        {
            if (label.Length is 0 or > MaxLabelLength)
                return $"search domain '{domain}' has a label of {label.Length} characters: 1 to {MaxLabelLength} allowed";
            if (!label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
                return $"search domain '{domain}' has a character other than letters, digits, '-' and '.'";
            if (label[0] == '-' || label[^1] == '-')
                return $"search domain '{domain}' has a label that starts or ends with '-'";
        }
        return null;
    }

    private static string? SpecialRange(IPv4Address address) => (address.Value >> 24) switch
    {
        0 => "0.0.0.0/8",
        127 => "127.0.0.0/8 (loopback)",
        >= 224 => "224.0.0.0/3 (multicast and reserved)",
        169 when (address.Value >> 16) == 0xA9FE => "169.254.0.0/16 (link-local)",
        _ => null,
    };

    public bool Equals(PushedSettings? other) =>
        other is not null
        && Routes.SequenceEqual(other.Routes)
        && DnsServers.SequenceEqual(other.DnsServers)
        && SearchDomains.SequenceEqual(other.SearchDomains, StringComparer.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as PushedSettings);

    public override int GetHashCode() => HashCode.Combine(Routes.Count, DnsServers.Count, SearchDomains.Count);

    public override string ToString() =>
        $"routes [{string.Join(", ", Routes)}], dns [{string.Join(", ", DnsServers)}], search [{string.Join(", ", SearchDomains)}]";
}

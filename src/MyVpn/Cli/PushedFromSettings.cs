using MyVpn.Cli.Config;
using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Cli;

/// <summary>
/// The server's pushed routes and DNS from server.toml (<c>routes</c>, <c>dns</c>, <c>dns_search</c>)
/// and the --push-route, --push-dns, --push-dns-search flags (which add to the file's lists), checked
/// by the rules every client applies (<see cref="PushedSettings"/>), each error naming the file, line and key
/// or the flag.
/// </summary>
internal static class PushedFromSettings
{
    public static PushedSettings Resolve(ServerConfigFile? file, string? path, ConfigLines lines, ServerFlags flags)
    {
        var routes = List(file?.Routes, lines.Where(path, "routes"), flags.PushRoute, "--push-route", text =>
        {
            var range = IPv4Range.Parse(text);
            return PushedSettings.RouteProblem(range) is { } problem ? throw new FormatException(problem) : range;
        });
        var dns = List(file?.Dns, lines.Where(path, "dns"), flags.PushDns, "--push-dns", text =>
        {
            var address = IPv4Address.TryParse(text, out var parsed) && text.Count(c => c == '.') == 3
                ? parsed
                : throw new FormatException($"'{text}' is not an IPv4 address");
            return PushedSettings.DnsServerProblem(address) is { } problem ? throw new FormatException(problem) : address;
        });
        var search = List(file?.DnsSearch, lines.Where(path, "dns_search"), flags.PushDnsSearch, "--push-dns-search", text =>
            PushedSettings.SearchDomainProblem(text) is { } problem ? throw new FormatException(problem) : text);

        var routesWhere = Where(lines.Where(path, "routes"), file?.Routes, flags.PushRoute, "--push-route");
        var dnsWhere = Where(lines.Where(path, "dns"), file?.Dns, flags.PushDns, "--push-dns");
        var searchWhere = Where(lines.Where(path, "dns_search"), file?.DnsSearch, flags.PushDnsSearch, "--push-dns-search");
        Bound(routes.Count, PushedSettings.MaxRoutes, "routes", routesWhere);
        Bound(dns.Count, PushedSettings.MaxDnsServers, "DNS servers", dnsWhere);
        Bound(search.Count, PushedSettings.MaxSearchDomains, "search domains", searchWhere);
        Unique(routes, EqualityComparer<IPv4Range>.Default, routesWhere);
        Unique(dns, EqualityComparer<IPv4Address>.Default, dnsWhere);
        Unique(search, StringComparer.OrdinalIgnoreCase, searchWhere);
        var pushed = new PushedSettings(routes, dns, search);
        return pushed.IsEmpty ? PushedSettings.None : pushed;
    }

    private static List<T> List<T>(List<string>? fromFile, string fileWhere, IReadOnlyList<string>? fromFlags, string flagName, Func<string, T> parse) =>
        [
            .. (fromFile ?? []).Select(text => new SettingValue(text, fileWhere).Parse(parse, default!)),
            .. (fromFlags ?? []).Select(text => new SettingValue(text, flagName).Parse(parse, default!)),
        ];

    /// <summary>Where a list came from: the file's key, the flag, or both.</summary>
    private static string Where(string fileWhere, List<string>? fromFile, IReadOnlyList<string>? fromFlags, string flagName) =>
        (fromFile is { Count: > 0 }, fromFlags is { Count: > 0 }) switch
        {
            (true, true) => $"{fileWhere} and {flagName}",
            (true, false) => fileWhere,
            _ => flagName,
        };

    private static void Bound(int count, int max, string what, string where)
    {
        if (count > max)
            throw new ConfigException($"{where}: {count} {what}, at most {max} may be pushed");
    }

    private static void Unique<T>(List<T> items, IEqualityComparer<T> comparer, string where)
    {
        var seen = new HashSet<T>(comparer);
        foreach (var item in items)
            if (!seen.Add(item))
                throw new ConfigException($"{where}: '{item}' is listed twice");
    }
}

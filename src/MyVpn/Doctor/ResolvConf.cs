using MyVpn.Net;

namespace MyVpn.Doctor;

/// <summary>The <c>nameserver</c> lines of a resolv.conf, IPv4 and IPv6 apart, in order (comments and other lines skipped).</summary>
public static class ResolvConf
{
    public const string Path = "/etc/resolv.conf";

    public static IReadOnlyList<IPv4Address> Nameservers(string text) =>
        text.Split('\n')
            .Select(line => line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .Where(words => words.Length >= 2 && words[0] == "nameserver")
            .Select(words => IPv4Address.TryParse(words[1], out var address) ? address : (IPv4Address?)null)
            .OfType<IPv4Address>()
            .ToList();

    /// <summary>The IPv6 nameservers, as written (<c>2001:db8::53</c>, <c>fe80::1%eth0</c>).</summary>
    public static IReadOnlyList<string> IPv6Nameservers(string text) =>
        text.Split('\n')
            .Select(line => line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .Where(words => words.Length >= 2 && words[0] == "nameserver" && words[1].Contains(':', StringComparison.Ordinal))
            .Select(words => words[1])
            .ToList();
}

using MyVpn.Net;

namespace MyVpn.Doctor;

/// <summary>The IPv4 <c>nameserver</c> lines of a resolv.conf, in order (comments and other lines skipped).</summary>
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
}

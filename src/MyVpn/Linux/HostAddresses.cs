using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>The host's own IPv4 addresses and broadcast addresses, on every interface of this network namespace.</summary>
internal static class HostAddresses
{
    /// <summary>Asks <c>ip -4 -o addr show</c>, once (at start).</summary>
    public static IReadOnlyList<IPv4Address> Read() =>
        Parse(SystemTool.RunChecked("ip", ["-4", "-o", "addr", "show"]));

    /// <summary>
    /// Reads lines such as <c>2: eth0    inet 192.0.2.1/24 brd 192.0.2.255 scope global eth0 ...</c>: the
    /// address after <c>inet</c> and the one after <c>brd</c>, sorted and without repeats.
    /// </summary>
    public static IReadOnlyList<IPv4Address> Parse(string output)
    {
        var addresses = new SortedSet<IPv4Address>();
        foreach (var line in output.Split('\n'))
        {
            var words = line.Split([' ', '\t', '\\'], StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i + 1 < words.Length; i++)
            {
                if (words[i] is not ("inet" or "brd"))
                    continue;
                var text = words[i + 1];
                var slash = text.IndexOf('/');
                if (IPv4Address.TryParse(slash < 0 ? text : text[..slash], out var address))
                    addresses.Add(address);
            }
        }
        return [.. addresses];
    }
}

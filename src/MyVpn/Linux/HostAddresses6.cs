using System.Net;
using System.Net.Sockets;

namespace MyVpn.Linux;

/// <summary>The host's own IPv6 addresses, on every interface of this network namespace.</summary>
internal static class HostAddresses6
{
    /// <summary>Asks <c>ip -6 -o addr show</c>, once (at start).</summary>
    public static IReadOnlyList<IPAddress> Read() =>
        Parse(SystemTool.RunChecked("ip", ["-6", "-o", "addr", "show"]));

    /// <summary>
    /// Reads lines such as <c>2: eth0    inet6 2001:db8:8::1/64 scope global \       valid_lft forever ...</c>:
    /// the address after <c>inet6</c>, in order and without repeats.
    /// </summary>
    public static IReadOnlyList<IPAddress> Parse(string output)
    {
        var addresses = new List<IPAddress>();
        foreach (var line in output.Split('\n'))
        {
            var words = line.Split([' ', '\t', '\\'], StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i + 1 < words.Length; i++)
            {
                if (words[i] != "inet6")
                    continue;
                var text = words[i + 1];
                var slash = text.IndexOf('/');
                if (IPAddress.TryParse(slash < 0 ? text : text[..slash], out var address)
                    && address.AddressFamily == AddressFamily.InterNetworkV6 && !addresses.Contains(address))
                    addresses.Add(address);
            }
        }
        return addresses;
    }
}

namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>
/// IPv6 on the link between the server and the internet host of a <see cref="Topology"/> (documentation
/// prefix 2001:db8:8::/64; the WAN stays IPv4): the internet host knows only its own link, as with IPv4,
/// unless a test routes the tunnel's IPv6 subnet to the server. Counts what the host receives by source.
/// </summary>
internal static class Internet6
{
    public const string ServerAddress = "2001:db8:8::1";
    public const string HostAddress = "2001:db8:8::8";

    public static void Add(Topology net)
    {
        Shell.Check("ip", "-n", net.Server, "-6", "addr", "add", $"{ServerAddress}/64", "dev", "eth1", "nodad");
        Shell.Check("ip", "-n", net.Internet, "-6", "addr", "add", $"{HostAddress}/64", "dev", "eth0", "nodad");
    }

    /// <summary>Makes the internet host send <paramref name="prefix"/> to the server (what an upstream router does for a routed subnet).</summary>
    public static void RouteToServer(Topology net, string prefix) =>
        Shell.Check("ip", "-n", net.Internet, "-6", "route", "add", prefix, "via", ServerAddress);

    /// <summary>Counts, in the internet host's own table, the echo requests it receives from <paramref name="source"/>.</summary>
    public static void CountEchoesFrom(Topology net, string source) =>
        Namespaces.ExecChecked(net.Internet, "nft", "add rule ip6 probe input ip6 saddr " + source + " icmpv6 type echo-request counter");

    /// <summary>Creates the counting table (call before <see cref="CountEchoesFrom"/>).</summary>
    public static void StartCounting(Topology net) =>
        Namespaces.ExecChecked(net.Internet, "nft", "add table ip6 probe; add chain ip6 probe input { type filter hook input priority filter; policy accept; }");

    /// <summary>How many echo requests from <paramref name="source"/> the internet host has received.</summary>
    public static int EchoesFrom(Topology net, string source)
    {
        var chain = Namespaces.ExecChecked(net.Internet, "nft", "list", "chain", "ip6", "probe", "input");
        var line = chain.Split('\n').Single(l => l.Contains($"ip6 saddr {source} ", StringComparison.Ordinal));
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return int.Parse(words[Array.IndexOf(words, "packets") + 1]);
    }
}

using System.Text.RegularExpressions;

namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>
/// Probes for what clients may reach: pings forced into the client's tun0 (<c>ping -I tun0</c>, so even the
/// server's WAN address, which the client's routes send out of eth0, goes through the tunnel), the server's
/// drop counters (<see cref="DaemonStatus"/>) and MyVpn's nftables table in the server's namespace.
/// </summary>
internal static partial class ReachProbe
{
    public const string Table = "myvpn_tun0";

    /// <summary>The cloud-metadata address; <see cref="AddMetadataHost"/> gives it to the internet host.</summary>
    public const string Metadata = "169.254.169.254";

    /// <summary>A second address of the internet host, for a <c>block</c> range that spares its first.</summary>
    public const string OtherInternetHost = "203.0.113.9";

    /// <summary>True when every echo sent through <paramref name="ns"/>'s tun0 was answered.</summary>
    public static bool Ping(string ns, string target, int count = 2)
    {
        var result = Namespaces.Exec(ns, ["ping", "-n", "-q", "-I", "tun0", "-c", count.ToString(), "-i", "0.2", "-W", "1", target]);
        return result.Succeeded && result.Output.Contains($"{count} received", StringComparison.Ordinal);
    }

    /// <summary>True when no echo sent through tun0 was answered.</summary>
    public static bool Unreachable(string ns, string target, int count = 2)
    {
        var result = Namespaces.Exec(ns, ["ping", "-n", "-q", "-I", "tun0", "-c", count.ToString(), "-i", "0.2", "-W", "1", target]);
        return result.Output.Contains($"{count} packets transmitted, 0 received", StringComparison.Ordinal);
    }

    /// <summary>169.254.169.254 and 203.0.113.9 on the internet host, which the server reaches through eth1.</summary>
    public static void AddMetadataHost(Topology net)
    {
        Shell.Check("ip", "-n", net.Internet, "addr", "add", $"{Metadata}/32", "dev", "eth0");
        Shell.Check("ip", "-n", net.Internet, "addr", "add", $"{OtherInternetHost}/24", "dev", "eth0");
        Shell.Check("ip", "-n", net.Server, "route", "add", $"{Metadata}/32", "via", Topology.InternetHost);
    }

    /// <summary>The server's drop count for <paramref name="reason"/>, read from a fresh status line.</summary>
    public static async Task<long> Drops(RunningProcess server, string reason) =>
        (await DaemonStatus.Drops(server)).GetValueOrDefault(reason);

    public static Shell.Result ListTable(string ns) => Namespaces.Exec(ns, "nft", "list", "table", "ip", Table);

    /// <summary>The packets counted by the rule of <paramref name="chain"/> whose text contains <paramref name="rule"/>.</summary>
    public static long RuleCounter(string ns, string chain, string rule)
    {
        var listing = Namespaces.ExecChecked(ns, "nft", "list", "chain", "ip", Table, chain);
        var line = listing.Split('\n').Single(l => l.Contains(rule, StringComparison.Ordinal));
        return long.Parse(Regex.Match(line, @"counter packets (\d+)").Groups[1].Value);
    }
}

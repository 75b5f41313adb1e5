using System.Text;
using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>
/// MyVpn's nftables table (<c>ip myvpn_tun0</c>): the daemon adds exactly one table and removes it whole,
/// never touching anyone else's rules. Its <c>forward</c> chain drops what clients send to blocked ranges
/// (and, with clients isolated, back into the tun); its <c>input</c> chain drops what they send to the
/// host's own addresses (<c>fib daddr type local</c>, so addresses added after start too) other than the
/// VPN address; its <c>postrouting</c> chain masquerades when asked. Drops are counted (<c>nft list table</c>).
/// </summary>
internal static class NftTable
{
    public static string TableName(string tunName) =>
        "myvpn_" + new string(tunName.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());

    /// <summary>Creates the table, replacing any older copy (one left by a crashed run) in the same transaction.</summary>
    public static void Apply(string table, NftPolicy policy)
    {
        if (policy.MasqueradeOut is { } outInterface && !Directory.Exists($"/sys/class/net/{outInterface}"))
            throw new SetupException($"--masquerade {outInterface}: there is no interface {outInterface}");
        SystemTool.RunChecked("nft", ["-f", "-"], Script(table, policy));
    }

    /// <summary>The <c>nft -f</c> script: declaring, deleting and re-adding the table replaces any older copy atomically.</summary>
    public static string Script(string table, NftPolicy policy)
    {
        var tun = $"iifname \"{policy.Tun}\"";
        var script = new StringBuilder();
        script.Append($$"""
            table ip {{table}}
            delete table ip {{table}}
            table ip {{table}} {
                set allowed {
                    type ipv4_addr; flags interval;{{Elements(policy.Allowed)}}
                }
                set blocked {
                    type ipv4_addr; flags interval;{{Elements(policy.Blocked)}}
                }
                chain forward {
                    type filter hook forward priority filter; policy accept;
                    {{tun}} ip daddr @allowed accept
                    {{tun}} ip daddr != {{policy.Subnet}} ip daddr @blocked counter drop

            """);
        if (!policy.ClientToClient)
            script.Append($"        {tun} oifname \"{policy.Tun}\" counter drop\n");
        script.Append($$"""
                }
                chain input {
                    type filter hook input priority filter; policy accept;
                    {{tun}} ip daddr {{policy.ServerAddress}} accept
                    {{tun}} ip daddr @allowed accept
                    {{tun}} fib daddr type { local, broadcast, multicast } counter drop
                    {{tun}} ip daddr != {{policy.Subnet}} ip daddr @blocked counter drop
                }

            """);
        if (policy.MasqueradeOut is { } outInterface)
            script.Append($$"""
                    chain postrouting {
                        type nat hook postrouting priority srcnat; policy accept;
                        ip saddr {{policy.Subnet}} oifname "{{outInterface}}" masquerade
                    }

                """);
        script.Append("}\n");
        return script.ToString();
    }

    public static void DeleteTable(string table) => SystemTool.Run("nft", ["delete", "table", "ip", table]);

    /// <summary>
    /// An interval set's elements, overlapping and adjacent ranges merged (nftables refuses overlaps), as
    /// <c> elements = { a-b, ... };</c>, or nothing for an empty set.
    /// </summary>
    private static string Elements(IReadOnlyList<IPv4Range> ranges)
    {
        if (ranges.Count == 0)
            return "";
        var merged = new List<(uint First, uint Last)>();
        foreach (var range in ranges.OrderBy(r => r.First.Value))
        {
            if (merged.Count > 0 && range.First.Value <= (ulong)merged[^1].Last + 1)
                merged[^1] = (merged[^1].First, Math.Max(merged[^1].Last, range.Last.Value));
            else
                merged.Add((range.First.Value, range.Last.Value));
        }
        return " elements = { " + string.Join(", ", merged.Select(r => $"{new IPv4Address(r.First)}-{new IPv4Address(r.Last)}")) + " };";
    }
}

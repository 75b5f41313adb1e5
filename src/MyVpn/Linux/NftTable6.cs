using System.Net;
using System.Text;

namespace MyVpn.Linux;

/// <summary>
/// MyVpn's <c>ip6</c> nftables table (<c>ip6 myvpn_tun0</c>, beside the <c>ip</c> table of the same name),
/// installed when the tunnel carries IPv6: its <c>forward</c> chain drops what clients send to blocked
/// prefixes (and, with clients isolated, back into the tun); its <c>input</c> chain drops what they send
/// to the host's own IPv6 addresses other than the server's VPN address; its <c>postrouting</c> chain
/// masquerades the IPv6 subnet (NAT66) when asked. The daemon adds it whole and deletes it whole.
/// </summary>
internal static class NftTable6
{
    /// <summary>Creates the table, replacing any older copy (one left by a crashed run) in the same transaction.</summary>
    public static void Apply(string table, NftPolicy6 policy)
    {
        if (policy.MasqueradeOut is { } outInterface && !Directory.Exists($"/sys/class/net/{outInterface}"))
            throw new SetupException($"--masquerade {outInterface}: there is no interface {outInterface}");
        SystemTool.RunChecked("nft", ["-f", "-"], Script(table, policy));
    }

    /// <summary>The <c>nft -f</c> script: declaring, deleting and re-adding the table replaces any older copy atomically.</summary>
    public static string Script(string table, NftPolicy6 policy)
    {
        var tun = $"iifname \"{policy.Tun}\"";
        var script = new StringBuilder();
        script.Append($$"""
            table ip6 {{table}}
            delete table ip6 {{table}}
            table ip6 {{table}} {
                set allowed {
                    type ipv6_addr; flags interval;{{Elements(policy.Allowed)}}
                }
                set blocked {
                    type ipv6_addr; flags interval;{{Elements(policy.Blocked)}}
                }
                chain forward {
                    type filter hook forward priority filter; policy accept;
                    {{tun}} ip6 daddr @allowed accept
                    {{tun}} ip6 daddr != {{policy.Subnet}} ip6 daddr @blocked counter drop

            """);
        if (!policy.ClientToClient)
            script.Append($"        {tun} oifname \"{policy.Tun}\" counter drop\n");
        script.Append($$"""
                }
                chain input {
                    type filter hook input priority filter; policy accept;
                    {{tun}} ip6 daddr {{policy.ServerAddress}} accept
                    {{tun}} ip6 daddr @allowed accept
                    {{tun}} fib daddr type { local, multicast } counter drop
                    {{tun}} ip6 daddr != {{policy.Subnet}} ip6 daddr @blocked counter drop
                }

            """);
        if (policy.MasqueradeOut is { } outInterface)
            script.Append($$"""
                    chain postrouting {
                        type nat hook postrouting priority srcnat; policy accept;
                        ip6 saddr {{policy.Subnet}} oifname "{{outInterface}}" masquerade
                    }

                """);
        script.Append("}\n");
        return script.ToString();
    }

    public static void DeleteTable(string table) => SystemTool.Run("nft", ["delete", "table", "ip6", table]);

    /// <summary>
    /// An interval set's elements as <c> elements = { p/len, ... };</c>, a prefix inside another left out
    /// in address order (nftables refuses overlaps; two prefixes either nest or are apart), or nothing for an empty set.
    /// </summary>
    private static string Elements(IReadOnlyList<IPNetwork> prefixes)
    {
        var kept = prefixes.Distinct()
            .Where(p => !prefixes.Any(q => q != p && q.PrefixLength < p.PrefixLength && q.Contains(p.BaseAddress)))
            .OrderBy(p => Convert.ToHexString(p.BaseAddress.GetAddressBytes()), StringComparer.Ordinal)
            .Select(p => p.ToString())
            .ToList();
        return kept.Count == 0 ? "" : " elements = { " + string.Join(", ", kept) + " };";
    }
}

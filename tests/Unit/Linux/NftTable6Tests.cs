using System.Net;
using System.Text.Json;
using MyVpn.Linux;
using Xunit;

namespace MyVpn.Tests.Unit.Linux;

/// <summary>The nftables script of MyVpn's <c>ip6</c> table and its journal step (the real kernel runs them in the Netns Ipv6TunnelTests).</summary>
public sealed class NftTable6Tests
{
    private static readonly string[] Defaults = ["::/128", "::1/128", "fe80::/10", "ff00::/8"];

    private static NftPolicy6 Policy(bool clientToClient = true, string? masquerade = null, string[]? blocked = null, string[]? allowed = null) => new(
        "tun0", IPNetwork.Parse("fd00:6::/64"), IPAddress.Parse("fd00:6::1"),
        [.. Defaults.Select(IPNetwork.Parse), .. (blocked ?? []).Select(IPNetwork.Parse)],
        (allowed ?? []).Select(IPNetwork.Parse).ToList(), clientToClient, masquerade);

    [Fact]
    public void Replaces_the_ip6_table_whole_and_leaves_out_a_blocked_prefix_inside_another()
    {
        var script = NftTable6.Script("myvpn_tun0", Policy(blocked: ["fe80:1::/32", "2001:db8::/32", "2001:db8::/32"]));

        Assert.StartsWith("table ip6 myvpn_tun0\ndelete table ip6 myvpn_tun0\ntable ip6 myvpn_tun0 {\n", script);
        Assert.Contains("type ipv6_addr; flags interval; elements = { ::/128, ::1/128, 2001:db8::/32, fe80::/10, ff00::/8 };", script);
        Assert.Contains("set allowed {\n        type ipv6_addr; flags interval;\n", script);
    }

    [Fact]
    public void Forward_and_input_chains_drop_what_clients_may_not_reach_after_the_allowed_prefixes()
    {
        var script = NftTable6.Script("myvpn_tun0", Policy(allowed: ["2001:db8:1::/48"]));

        Assert.Contains("""
                chain forward {
                    type filter hook forward priority filter; policy accept;
                    iifname "tun0" ip6 daddr @allowed accept
                    iifname "tun0" ip6 daddr != fd00:6::/64 ip6 daddr @blocked counter drop
                }
            """, script);
        Assert.Contains("""
                chain input {
                    type filter hook input priority filter; policy accept;
                    iifname "tun0" ip6 daddr fd00:6::1 accept
                    iifname "tun0" ip6 daddr @allowed accept
                    iifname "tun0" fib daddr type { local, multicast } counter drop
                    iifname "tun0" ip6 daddr != fd00:6::/64 ip6 daddr @blocked counter drop
                }
            """, script);
        Assert.Contains("elements = { 2001:db8:1::/48 };", script);
        Assert.DoesNotContain("postrouting", script);
    }

    [Fact]
    public void Isolated_clients_add_a_tun_to_tun_drop_and_masquerade_adds_nat66()
    {
        var script = NftTable6.Script("myvpn_tun0", Policy(clientToClient: false, masquerade: "eth1"));

        Assert.Contains("iifname \"tun0\" oifname \"tun0\" counter drop\n    }", script);
        Assert.Contains("type nat hook postrouting priority srcnat; policy accept;\n        ip6 saddr fd00:6::/64 oifname \"eth1\" masquerade", script);
        Assert.EndsWith("}\n}\n", script);
    }

    [Fact]
    public void The_journal_keeps_the_ip6_table_apart_from_the_ip_table_of_the_same_name()
    {
        var json = JsonSerializer.Serialize(new UndoJournal.JournalFile(1, [UndoStep.ForNftTable("myvpn_tun0"), UndoStep.ForNftTable6("myvpn_tun0")]),
            UndoJournalJson.Default.JournalFile);
        var steps = JsonSerializer.Deserialize(json, UndoJournalJson.Default.JournalFile)!.Steps;

        Assert.Equal(["nft-table myvpn_tun0", "nft6-table myvpn_tun0"], steps.Select(s => s.ToString()));
    }
}

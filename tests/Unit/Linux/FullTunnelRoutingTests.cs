using System.Text.Json;
using MyVpn.Linux;
using Xunit;

namespace MyVpn.Tests.Unit.Linux;

/// <summary>The rules and table routes a full tunnel installs, and how the undo journal keeps them.</summary>
public sealed class FullTunnelRoutingTests
{
    private static string[] Commands(IReadOnlyList<PolicyEntry> entries) =>
        [.. entries.Select(e => "ip " + string.Join(' ', e.Command("add")))];

    [Fact]
    public void Without_IPv6_in_the_session_IPv4_goes_to_the_tun_and_IPv6_is_unreachable_both_behind_the_same_rules()
    {
        Assert.Equal(
        [
            "ip -4 route add default dev tun0 table 9525",
            "ip -4 rule add priority 32765 not fwmark 9525 table 9525",
            "ip -4 rule add priority 32764 table main suppress_prefixlength 0",
            "ip -6 route add unreachable default table 9525",
            "ip -6 rule add priority 32765 not fwmark 9525 table 9525",
            "ip -6 rule add priority 32764 table main suppress_prefixlength 0",
        ], Commands(FullTunnelRouting.Entries("tun0", 9525, ipv6: false, kernelHasIPv6: true)));
    }

    [Fact]
    public void With_IPv6_in_the_session_the_IPv6_default_goes_to_the_tun_too()
    {
        var entries = Commands(FullTunnelRouting.Entries("vpn0", 51821, ipv6: true, kernelHasIPv6: true));

        Assert.Contains("ip -6 route add default dev vpn0 table 51821", entries);
        Assert.Contains("ip -6 rule add priority 32765 not fwmark 51821 table 51821", entries);
        Assert.DoesNotContain(entries, e => e.Contains("unreachable", StringComparison.Ordinal));
    }

    [Fact]
    public void A_kernel_without_IPv6_gets_IPv4_rules_only()
    {
        Assert.All(FullTunnelRouting.Entries("tun0", 9525, ipv6: false, kernelHasIPv6: false), e => Assert.Equal("-4", e.Family));
    }

    [Fact]
    public void The_main_table_rule_comes_before_the_tunnel_rule_so_local_routes_still_apply()
    {
        Assert.True(FullTunnelRouting.MainRulePriority < FullTunnelRouting.TunnelRulePriority);
        Assert.True(FullTunnelRouting.TunnelRulePriority < 32766); // before the main table's own rule
    }

    [Fact]
    public void A_journalled_entry_reads_back_as_the_same_entry_and_deletes_with_the_same_arguments()
    {
        var entry = FullTunnelRouting.Entries("tun0", 9525, ipv6: false, kernelHasIPv6: true)[1];
        var step = UndoStep.ForPolicy(entry);

        var json = JsonSerializer.Serialize(new UndoJournal.JournalFile(1, [step]), UndoJournalJson.Default.JournalFile);
        var back = JsonSerializer.Deserialize(json, UndoJournalJson.Default.JournalFile)!.Steps.Single();

        Assert.Equal("policy", back.Kind);
        Assert.Equal(entry, PolicyEntry.FromJournal(back.Args));
        Assert.Equal(["-4", "rule", "del", "priority", "32765", "not", "fwmark", "9525", "table", "9525"], PolicyEntry.FromJournal(back.Args).Command("del"));
        Assert.Equal("policy -4 rule priority 32765 not fwmark 9525 table 9525", back.ToString());
    }
}

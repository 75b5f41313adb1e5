using MyVpn.Linux;
using MyVpn.Net;
using Xunit;

namespace MyVpn.Tests.Unit.Linux;

/// <summary>The nftables script of MyVpn's own table (the real kernel runs it in the Netns ReachDefaultsTests, ReachSettingsTests and ReachTableLifetimeTests).</summary>
public sealed class NftTableTests
{
    private static NftPolicy Policy(bool clientToClient = true, string? masquerade = null, string[]? allowed = null) => new(
        "tun0", IPv4Subnet.Parse("10.0.0.0/24"), IPv4Address.Parse("10.0.0.1"),
        [IPv4Range.Parse("169.254.0.0/16"), IPv4Range.Parse("10.0.0.0/8"), IPv4Range.Parse("10.9.0.0/16"), IPv4Range.Parse("11.0.0.0/8"), IPv4Range.Parse("192.0.2.7")],
        (allowed ?? []).Select(IPv4Range.Parse).ToList(), clientToClient, masquerade);

    [Fact]
    public void Replaces_the_table_whole_and_merges_overlapping_blocked_ranges()
    {
        var script = NftTable.Script("myvpn_tun0", Policy());

        Assert.StartsWith("table ip myvpn_tun0\ndelete table ip myvpn_tun0\ntable ip myvpn_tun0 {\n", script);
        Assert.Contains("elements = { 10.0.0.0-11.255.255.255, 169.254.0.0-169.254.255.255, 192.0.2.7-192.0.2.7 };", script);
        Assert.Contains("set allowed {\n        type ipv4_addr; flags interval;\n", script);
    }

    [Fact]
    public void Forward_and_input_chains_drop_what_clients_may_not_reach_after_the_allowed_ranges()
    {
        var script = NftTable.Script("myvpn_tun0", Policy(allowed: ["192.0.2.7"]));

        Assert.Contains("""
                chain forward {
                    type filter hook forward priority filter; policy accept;
                    iifname "tun0" ip daddr @allowed accept
                    iifname "tun0" ip daddr != 10.0.0.0/24 ip daddr @blocked counter drop
                }
            """, script);
        Assert.Contains("""
                chain input {
                    type filter hook input priority filter; policy accept;
                    iifname "tun0" ip daddr 10.0.0.1 accept
                    iifname "tun0" ip daddr @allowed accept
                    iifname "tun0" fib daddr type { local, broadcast, multicast } counter drop
                    iifname "tun0" ip daddr != 10.0.0.0/24 ip daddr @blocked counter drop
                }
            """, script);
        Assert.Contains("elements = { 192.0.2.7-192.0.2.7 };", script);
        Assert.DoesNotContain("postrouting", script);
    }

    [Fact]
    public void Isolated_clients_add_a_tun_to_tun_drop_and_masquerade_adds_the_nat_chain()
    {
        var script = NftTable.Script("myvpn_tun0", Policy(clientToClient: false, masquerade: "eth1"));

        Assert.Contains("iifname \"tun0\" oifname \"tun0\" counter drop\n    }", script);
        Assert.Contains("type nat hook postrouting priority srcnat; policy accept;\n        ip saddr 10.0.0.0/24 oifname \"eth1\" masquerade", script);
        Assert.EndsWith("}\n}\n", script);
    }
}

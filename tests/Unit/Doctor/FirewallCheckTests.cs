using MyVpn.Doctor;
using Xunit;
using static MyVpn.Tests.Unit.Doctor.DoctorFacts;

namespace MyVpn.Tests.Unit.Doctor;

/// <summary>
/// The firewall check on rulesets printed by <c>nft -j list ruleset</c> (nftables 1.0.6, Debian 12): a
/// hand-written inet table and the rules iptables-nft makes.
/// </summary>
public sealed class FirewallCheckTests
{
    /// <summary>
    /// policy drop; established/related accept, invalid drop, lo accept, tcp {22, 80} accept, a udp drop for
    /// one source range, then a jump to "extra": udp 40000-40499 accept, tcp 9525 reject.
    /// </summary>
    private const string InetTable = """{"nftables":[{"metainfo":{"version":"1.0.6","release_name":"Lester Gooch #5","json_schema_version":1}},{"table":{"family":"inet","name":"filter","handle":4}},{"chain":{"family":"inet","table":"filter","name":"input","handle":1,"type":"filter","hook":"input","prio":0,"policy":"drop"}},{"chain":{"family":"inet","table":"filter","name":"extra","handle":2}},{"rule":{"family":"inet","table":"filter","chain":"input","handle":3,"expr":[{"match":{"op":"in","left":{"ct":{"key":"state"}},"right":["established","related"]}},{"accept":null}]}},{"rule":{"family":"inet","table":"filter","chain":"input","handle":4,"expr":[{"match":{"op":"in","left":{"ct":{"key":"state"}},"right":"invalid"}},{"drop":null}]}},{"rule":{"family":"inet","table":"filter","chain":"input","handle":5,"expr":[{"match":{"op":"==","left":{"meta":{"key":"iifname"}},"right":"lo"}},{"accept":null}]}},{"rule":{"family":"inet","table":"filter","chain":"input","handle":7,"expr":[{"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":{"set":[22,80]}}},{"accept":null}]}},{"rule":{"family":"inet","table":"filter","chain":"input","handle":8,"expr":[{"match":{"op":"==","left":{"payload":{"protocol":"ip","field":"saddr"}},"right":{"prefix":{"addr":"198.51.100.0","len":24}}}},{"match":{"op":"==","left":{"payload":{"protocol":"udp","field":"dport"}},"right":{"range":[40000,40999]}}},{"drop":null}]}},{"rule":{"family":"inet","table":"filter","chain":"input","handle":9,"expr":[{"jump":{"target":"extra"}}]}},{"rule":{"family":"inet","table":"filter","chain":"extra","handle":10,"expr":[{"match":{"op":"==","left":{"payload":{"protocol":"udp","field":"dport"}},"right":{"range":[40000,40499]}}},{"accept":null}]}},{"rule":{"family":"inet","table":"filter","chain":"extra","handle":11,"expr":[{"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":9525}},{"counter":{"packets":0,"bytes":0}},{"reject":{"type":"icmpx","expr":"port-unreachable"}}]}}]}""";

    /// <summary><c>iptables -A INPUT -p tcp --dport 9525 -j DROP</c>.</summary>
    private const string IptablesDrop = """{"nftables":[{"chain":{"family":"ip","table":"filter","name":"INPUT","handle":1,"type":"filter","hook":"input","prio":0,"policy":"accept"}},{"rule":{"family":"ip","table":"filter","chain":"INPUT","handle":2,"expr":[{"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":9525}},{"counter":{"packets":0,"bytes":0}},{"drop":null}]}}]}""";

    /// <summary><c>iptables -P INPUT DROP; iptables -A INPUT -p udp --dport 40000:40999 -j ACCEPT</c>.</summary>
    private const string IptablesPolicyDrop = """{"nftables":[{"chain":{"family":"ip","table":"filter","name":"INPUT","handle":1,"type":"filter","hook":"input","prio":0,"policy":"drop"}},{"rule":{"family":"ip","table":"filter","chain":"INPUT","handle":3,"expr":[{"match":{"op":"==","left":{"payload":{"protocol":"udp","field":"dport"}},"right":{"range":[40000,40999]}}},{"counter":{"packets":0,"bytes":0}},{"accept":null}]}}]}""";

    private static List<DoctorLine> Check(string json) => new FirewallCheck().Check(HealthyServer() with { Ruleset = NftRuleset.Parse(json) }).ToList();

    [Fact]
    public void A_reject_in_a_jumped_to_chain_blocks_the_handshake_port_and_the_fix_goes_in_the_base_chain()
    {
        var tcp = Check(InetTable)[0];
        Assert.Equal("FAIL TCP port 9525 (handshakes) blocked by the firewall: table inet filter chain extra rule handle 11 (reject): let it in: nft insert rule inet filter input tcp dport 9525 accept (or the same in your firewall's own configuration)", tcp.ToString());
    }

    [Fact]
    public void Session_ports_past_the_accepted_part_fall_to_the_policy_drop()
    {
        var udp = Check(InetTable)[1];
        Assert.Equal(Verdict.Fail, udp.Verdict);
        Assert.Equal("UDP ports 40000-40999 (sessions; 500 of them, 40500 first) blocked by the firewall: table inet filter chain input: policy drop, and no rule accepts it", udp.What);
    }

    [Fact]
    public void Iptables_nft_drop_on_the_port_is_found()
    {
        var lines = Check(IptablesDrop);
        Assert.Equal("FAIL TCP port 9525 (handshakes) blocked by the firewall: table ip filter chain INPUT rule handle 2 (drop): let it in: nft insert rule ip filter INPUT tcp dport 9525 accept (or the same in your firewall's own configuration)", lines[0].ToString());
        Assert.Equal("ok   UDP ports 40000-40999 (sessions) open in the firewall", lines[1].ToString());
    }

    [Fact]
    public void Policy_drop_with_an_accept_for_the_range_only_blocks_the_handshake_port()
    {
        var lines = Check(IptablesPolicyDrop);
        Assert.Equal("TCP port 9525 (handshakes) blocked by the firewall: table ip filter chain INPUT: policy drop, and no rule accepts it", lines[0].What);
        Assert.Equal(Verdict.Ok, lines[1].Verdict);
    }

    [Fact]
    public void A_drop_that_also_matches_on_the_source_is_only_a_possible_block()
    {
        var partial = """{"nftables":[{"chain":{"family":"inet","table":"f","name":"in","handle":1,"type":"filter","hook":"input","prio":0,"policy":"accept"}},{"rule":{"family":"inet","table":"f","chain":"in","handle":2,"expr":[{"match":{"op":"==","left":{"payload":{"protocol":"ip","field":"saddr"}},"right":{"prefix":{"addr":"198.51.100.0","len":24}}}},{"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":9525}},{"drop":null}]}}]}""";
        var line = Check(partial)[0];
        Assert.Equal(Verdict.Warn, line.Verdict);
        Assert.Equal("TCP port 9525 (handshakes) may be blocked by the firewall: table inet f chain in rule handle 2 (drop)", line.What);
    }

    [Fact]
    public void MyVpns_own_table_and_non_input_chains_are_left_out()
    {
        var own = """{"nftables":[{"chain":{"family":"ip","table":"myvpn_tun0","name":"input","handle":1,"type":"filter","hook":"input","prio":0,"policy":"drop"}},{"chain":{"family":"ip","table":"f","name":"fwd","handle":2,"type":"filter","hook":"forward","prio":0,"policy":"drop"}}]}""";
        Assert.All(Check(own), line => Assert.Equal(Verdict.Ok, line.Verdict));
    }

    [Fact]
    public void An_unreadable_ruleset_is_a_warning_naming_why()
    {
        var line = Assert.Single(new FirewallCheck().Check(HealthyServer() with { Ruleset = null, RulesetProblem = "cannot run 'nft'" }));
        Assert.Equal("warn firewall: cannot read the nftables ruleset: cannot run 'nft'", line.ToString());
    }

    [Fact]
    public void Ruleset_that_is_not_nft_json_is_refused() =>
        Assert.Throws<FormatException>(() => NftRuleset.Parse("""{"something":1}"""));
}

using MyVpn.Doctor;
using MyVpn.Net;

namespace MyVpn.Tests.Unit.Doctor;

/// <summary>Made-up facts for the doctor's checks: a healthy server and client, which each test then breaks in one way.</summary>
internal static class DoctorFacts
{
    public static readonly HostFacts Host = new(IsRoot: true, TunNodeExists: true, ConfigProblem: null);

    public static readonly ServerSetup TestServerSetup = new("tun0", NetEndpoint.Parse("0.0.0.0:9525"), 40000, 40999, "eth1", 1420, "myvpn_tun0");

    public static readonly NftRuleset NoRules = NftRuleset.Parse("""{"nftables":[]}""");

    /// <summary>The postrouting chain of a running server's table with its masquerade rule out of eth1.</summary>
    public static readonly NftRuleset MasqueradeRuleset = NftRuleset.Parse("""
        {"nftables":[
          {"chain":{"family":"ip","table":"myvpn_tun0","name":"postrouting","handle":5,"type":"nat","hook":"postrouting","prio":100,"policy":"accept"}},
          {"rule":{"family":"ip","table":"myvpn_tun0","chain":"postrouting","handle":6,"expr":[
            {"match":{"op":"==","left":{"payload":{"protocol":"ip","field":"saddr"}},"right":{"prefix":{"addr":"10.0.0.0","len":24}}}},
            {"match":{"op":"==","left":{"meta":{"key":"oifname"}},"right":"eth1"}},
            {"masquerade":null}]}}]}
        """);

    public static ServerFacts HealthyServer(int? runningPid = null) => new()
    {
        Host = Host,
        Setup = TestServerSetup,
        RunningPid = runningPid,
        Forwarding = "1",
        Ruleset = NoRules,
        Outside = new InterfaceFacts("eth1", true, true, 1500),
        InternetRoute = new InterfaceFacts("eth1", true, true, 1500),
    };

    public static readonly ClientSetup TestClientSetup = new(NetEndpoint.Parse("192.0.2.1:9525"), "pc1", "tun0", DefaultRoute: true);

    public static ClientFacts HealthyClient() => new()
    {
        Host = Host,
        Setup = TestClientSetup,
        Udp = new UdpProbe(UdpProbeOutcome.Replied, Port: 40000, GrantedMtu: 1420),
        PathDevice = new InterfaceFacts("eth0", true, true, 1500),
        Nameservers = [IPv4Address.Parse("10.0.0.1")],
        Routes =
        [
            new RouteEntry(IPv4Range.Parse("0.0.0.0/0"), "eth0"),
            new RouteEntry(IPv4Range.Parse("192.0.2.0/24"), "eth0"),
        ],
    };

    /// <summary>The one line a check gives.</summary>
    public static DoctorLine Single<TFacts>(IDoctorCheck<TFacts> check, TFacts facts) => Xunit.Assert.Single(check.Check(facts));
}

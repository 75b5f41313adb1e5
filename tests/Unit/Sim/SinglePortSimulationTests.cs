using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Sim;
using MyVpn.Sim.Scenarios;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>
/// The seed network with the server in one-port mode: every session on the handshake port's number, an
/// attacker relabelling captured datagrams with other sessions' ids; the checkers hold and the tunnel works.
/// </summary>
public sealed class SinglePortSimulationTests
{
    private static readonly IPv4Address Pc1Address = IPv4Address.Parse("10.0.0.2");
    private static readonly IPv4Address Pc2Address = IPv4Address.Parse("10.0.0.3");

    private static void AssertAnswered(PingRecord? ping)
    {
        Assert.NotNull(ping);
        Assert.True(ping.Replied, $"ping #{ping.Serial} {ping.Request.Source} -> {ping.Target} was not answered");
    }

    [Fact]
    public void Clients_share_the_handshake_port_and_reach_each_other_and_the_internet()
    {
        var net = SeedNetwork.Connected(seed: 41, new SeedNetworkOptions { SinglePort = true, ClientCount = 3 });

        Assert.All(net.Clients, c => Assert.Equal(SeedNetwork.HandshakePort, c.Grant!.Port));
        AssertAnswered(net.Ping(net.Pc1.Host, Pc2Address));
        AssertAnswered(net.Ping(net.Pc2.Host, Pc1Address));
        AssertAnswered(net.Ping(net.Clients[2].Host, SeedNetwork.InternetAddress));
        Assert.Equal(0, net.ServerEngine!.Drops.Total);
        Assert.False(net.Network.Violations.Any, net.Network.Violations.First);
    }

    [Fact]
    public void Datagrams_forged_under_other_sessions_ids_are_dropped_and_the_tunnel_keeps_working()
    {
        var net = SeedNetwork.Connected(seed: 42, new SeedNetworkOptions { SinglePort = true });
        AssertAnswered(net.Ping(net.Pc1.Host, Pc2Address));
        AssertAnswered(net.Ping(net.Pc2.Host, SeedNetwork.InternetAddress));
        var endpoints = net.ServerEngine!.Sessions.Select(s => s.Endpoint).ToList();

        net.Attacker.Strike(500);
        net.Clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.True(net.Attacker.SwappedIds > 50, $"{net.Attacker.SwappedIds} relabelled forgeries");
        var drops = net.ServerEngine.Drops;
        Assert.True(drops[DropReason.AuthenticationFailed] > 0);
        Assert.Equal(endpoints, net.ServerEngine.Sessions.Select(s => s.Endpoint));
        AssertAnswered(net.Ping(net.Pc1.Host, Pc2Address));
        AssertAnswered(net.Ping(net.Pc2.Host, Pc1Address));
        Assert.False(net.Network.Violations.Any, net.Network.Violations.First);
    }

    [Fact]
    public void The_sweep_alternates_the_mode_by_seed_and_a_seed_replays_in_its_own()
    {
        Assert.Equal(100, Enumerable.Range(1, 200).Count(s => ChaosScenario.SinglePortFor((ulong)s)));

        var first = ChaosScenario.Run(21);
        var again = ChaosScenario.Run(21);
        var otherMode = ChaosScenario.Run(21, singlePort: false);

        Assert.True(first.Passed, $"{first.Failure}\nreproduce: {first.Reproduction}");
        Assert.Equal(first.Fingerprint, again.Fingerprint);
        Assert.NotEqual(first.Fingerprint, otherMode.Fingerprint);
    }
}

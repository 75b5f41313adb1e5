using MyVpn.Net;
using MyVpn.Sim;
using MyVpn.Sim.Checkers;
using MyVpn.Sim.Scenarios;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>
/// A server on dynamic DNS moves: it comes back at another address and its name is pointed there. Clients
/// that know it by name look it up again and come back; clients that know only its old address cannot.
/// In the chaos sweep the move is a fault (<see cref="FaultKind.MoveServer"/>) and the handshake-peer checker
/// holds every client to handshaking with the server alone.
/// </summary>
public sealed class ServerMoveSimulationTests
{
    private const string Name = "vpn.example.org";
    private static readonly IPv4Address Moved = IPv4Address.Parse("198.51.100.77");

    [Theory]
    [InlineData(1UL)]
    [InlineData(7UL)]
    [InlineData(42UL)]
    public void Clients_that_know_the_server_by_name_find_it_at_its_new_address(ulong seed)
    {
        var net = SeedNetwork.Connected(seed, new SeedNetworkOptions { ServerName = Name });
        var before = net.Clients.Select(c => c.Connections).ToArray();

        net.MoveServer(Moved);

        var back = net.Clock.RunUntil(() => net.Clients.Select((c, i) => c.Connections > before[i]).All(b => b), TimeSpan.FromMinutes(2));
        Assert.True(back, $"seed {seed}: not every client came back within 2 min");
        foreach (var client in net.Clients)
            Assert.Equal(new NetEndpoint(Moved, SeedNetwork.HandshakePort), client.Engine!.Server);
        var ping = net.Ping(net.Pc1.Host, IPv4Address.Parse("10.0.0.3"));
        Assert.True(ping?.Replied, $"seed {seed}: pc1 cannot reach pc2 through the moved server");
        Assert.Empty(net.Network.Violations.All);
    }

    [Fact]
    public void Clients_that_know_only_the_old_address_do_not_come_back()
    {
        var net = SeedNetwork.Connected(1, new SeedNetworkOptions());
        var before = net.Pc1.Connections;

        net.MoveServer(Moved);

        Assert.False(net.Clock.RunUntil(() => net.Pc1.Connections > before, TimeSpan.FromMinutes(2)));
        Assert.Equal(new NetEndpoint(SeedNetwork.ServerPublicAddress, SeedNetwork.HandshakePort), net.Pc1.Engine!.Server);
    }

    [Fact]
    public void A_name_taken_out_of_the_table_is_retried_until_it_is_back()
    {
        var net = SeedNetwork.Connected(3, new SeedNetworkOptions { ServerName = Name });
        var before = net.Pc1.Connections;
        net.Network.SetName(Name, null);
        net.MoveServer(Moved);
        net.Network.SetName(Name, null); // the DNS update is late

        Assert.False(net.Clock.RunUntil(() => net.Pc1.Connections > before, TimeSpan.FromMinutes(1)));
        Assert.Null(net.Pc1.AuthenticationFailure);

        net.Network.SetName(Name, Moved);
        Assert.True(net.Clock.RunUntil(() => net.Pc1.Connections > before, TimeSpan.FromSeconds(40)));
    }

    [Fact]
    public void A_stale_name_sends_a_new_client_to_the_machine_that_took_the_old_address_until_the_update()
    {
        var net = SeedNetwork.Connected(5, new SeedNetworkOptions { ServerName = Name });
        var before = net.Pc1.Connections;

        net.MoveServer(Moved, ServerNameUpdate.Stale, TimeSpan.FromSeconds(20));
        net.RestartClient(net.Pc1);

        Assert.False(net.Clock.RunUntil(() => net.Pc1.Connections > before, TimeSpan.FromSeconds(15)));
        Assert.Equal(new NetEndpoint(SeedNetwork.ServerPublicAddress, SeedNetwork.HandshakePort), net.Pc1.Engine!.Server);
        Assert.Equal("stale", net.Network.HostAt(SeedNetwork.ServerPublicAddress)?.Name);
        Assert.True(net.Clock.RunUntil(() => net.Pc1.Connections > before, TimeSpan.FromSeconds(40)));
        Assert.Equal(new NetEndpoint(Moved, SeedNetwork.HandshakePort), net.Pc1.Engine.Server);
        Assert.Null(net.Pc1.AuthenticationFailure);
        Assert.Empty(net.Network.Violations.All);
    }

    [Fact]
    public void A_late_name_resolves_to_nothing_until_the_update_and_healing_brings_it_up_to_date()
    {
        var net = SeedNetwork.Connected(6, new SeedNetworkOptions { ServerName = Name });

        net.MoveServer(Moved, ServerNameUpdate.Late, TimeSpan.FromMinutes(10));
        Assert.Null(net.Network.LookUp(Name));
        net.Heal();

        Assert.Equal(Moved, net.Network.LookUp(Name));
        var before = net.Pc2.Connections;
        Assert.True(net.Clock.RunUntil(() => net.Pc2.Connections > before, TimeSpan.FromMinutes(2)));
        Assert.Empty(net.Network.Violations.All);
    }

    [Fact]
    public void The_handshake_peer_checker_reports_a_session_made_with_anyone_but_the_server()
    {
        var net = SeedNetwork.Connected(7, new SeedNetworkOptions { ServerName = Name });
        Assert.True(net.HandshakePeers.Checked >= 2);
        Assert.Empty(net.Network.Violations.All);

        var granted = net.Pc1.Grant!.SessionId;
        net.HandshakePeers.OnConnected(net.Pc1.Host, new NetEndpoint(net.Pc2.Host.Address, SeedNetwork.HandshakePort), granted, net.Server);
        net.HandshakePeers.OnConnected(net.Pc1.Host, new NetEndpoint(net.Server.Address, 9999), granted, net.Server);
        net.HandshakePeers.OnConnected(net.Pc1.Host, new NetEndpoint(net.Server.Address, SeedNetwork.HandshakePort), granted ^ 1, net.Server);
        net.HandshakePeers.OnConnected(net.Pc2.Host, new NetEndpoint(net.Server.Address, SeedNetwork.HandshakePort), granted, net.Server);

        Assert.Equal(4, net.Network.Violations.All.Count);
        Assert.Contains("[handshake-peer] pc1 completed a handshake with", net.Network.Violations.All[0]);
        Assert.Contains($"(pc2), not with s1 at {net.Server.Address}:{SeedNetwork.HandshakePort}", net.Network.Violations.All[0]);
        Assert.Contains($"{net.Server.Address}:9999 (s1), not with s1", net.Network.Violations.All[1]);
        Assert.Contains($"for session {granted ^ 1:x8}, which s1 never granted it", net.Network.Violations.All[2]);
        Assert.Contains("[handshake-peer] pc2 completed", net.Network.Violations.All[3]);
        Assert.Contains("which s1 never granted it", net.Network.Violations.All[3]);
    }

    [Fact]
    public void A_grant_the_server_sent_before_it_moved_counts_as_a_handshake_with_the_server_at_its_old_address()
    {
        var net = SeedNetwork.Connected(7, new SeedNetworkOptions { ServerName = Name });
        var granted = net.Pc1.Grant!.SessionId;
        var old = net.Server.Address;

        net.MoveServer(Moved, ServerNameUpdate.AtOnce, TimeSpan.FromSeconds(1));
        net.HandshakePeers.OnConnected(net.Pc1.Host, new NetEndpoint(old, SeedNetwork.HandshakePort), granted, net.Server);
        net.HandshakePeers.OnConnected(net.Pc1.Host, new NetEndpoint(Moved, SeedNetwork.HandshakePort), granted, net.Server);

        var violation = Assert.Single(net.Network.Violations.All);
        Assert.Contains($"with {Moved}:{SeedNetwork.HandshakePort} (s1), not with s1 at {old}:{SeedNetwork.HandshakePort}", violation);
    }

    [Theory]
    [InlineData("AtOnce")]
    [InlineData("Late")]
    [InlineData("Stale")]
    public void A_chaos_seed_that_moves_the_server_keeps_every_invariant_and_every_client_follows(string update)
    {
        // The first seeds whose plan moves the server with this kind of name update, whatever else the draw holds.
        var seeds = Enumerable.Range(1, 1000).Select(s => (ulong)s)
            .Where(s => ChaosScenario.Draw(s).Plan.Events.Any(e => e.Kind == FaultKind.MoveServer && ChaosScenario.NameUpdate(e).ToString() == update))
            .Take(3).ToList();
        Assert.Equal(3, seeds.Count);

        foreach (var seed in seeds)
        {
            var result = ChaosScenario.Run(seed);

            Assert.True(result.Passed, $"seed {seed}: {result.Failure}\nreproduce: {result.Reproduction}");
            Assert.NotNull(result.Recovery);
        }
    }
}

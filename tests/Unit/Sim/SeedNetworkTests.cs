using MyVpn.Net;
using MyVpn.Sim;
using MyVpn.Sim.Scenarios;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>The seed network of DESIGN.md on the real engines: pc1, pc2, s1 and the internet.</summary>
public sealed class SeedNetworkTests
{
    private static readonly IPv4Address Pc1Address = IPv4Address.Parse("10.0.0.2");
    private static readonly IPv4Address Pc2Address = IPv4Address.Parse("10.0.0.3");
    private static readonly IPv4Address ServerAddress = IPv4Address.Parse("10.0.0.1");

    private static void AssertAnswered(PingRecord? ping)
    {
        Assert.NotNull(ping);
        Assert.True(ping.Replied, $"ping #{ping.Serial} {ping.Request.Source} -> {ping.Target} was not answered");
        Assert.Equal(1, ping.RequestDeliveries);
        Assert.Equal(1, ping.ReplyDeliveries);
    }

    [Fact]
    public void Clients_get_addresses_in_connection_order()
    {
        var net = SeedNetwork.Connected(seed: 1);

        Assert.Equal(Pc1Address, net.Pc1.Grant!.ClientAddress);
        Assert.Equal(Pc2Address, net.Pc2.Grant!.ClientAddress);
        Assert.Equal(ServerAddress, net.Pc1.Grant.ServerAddress);
        Assert.Equal(24, net.Pc1.Grant.PrefixLength);
    }

    [Fact]
    public void Pc1_pings_pc2_at_10_0_0_3()
    {
        var net = SeedNetwork.Connected(seed: 1);

        AssertAnswered(net.Ping(net.Pc1.Host, Pc2Address));
        Assert.False(net.Network.Violations.Any, net.Network.Violations.First);
    }

    [Fact]
    public void Pc2_pings_pc1_at_10_0_0_2()
    {
        var net = SeedNetwork.Connected(seed: 2);

        AssertAnswered(net.Ping(net.Pc2.Host, Pc1Address));
        Assert.Equal([Pc2Address], net.Pc1.Host.Stack.Responder.SeenSources);
    }

    [Fact]
    public void Pc1_pings_the_server_at_10_0_0_1()
    {
        var net = SeedNetwork.Connected(seed: 3);

        AssertAnswered(net.Ping(net.Pc1.Host, ServerAddress));
        Assert.Equal([Pc1Address], net.Server.Stack.Responder.SeenSources);
    }

    [Fact]
    public void Pc1_reaches_the_internet_and_the_internet_sees_the_servers_public_address()
    {
        var net = SeedNetwork.Connected(seed: 4);

        AssertAnswered(net.Ping(net.Pc1.Host, SeedNetwork.InternetAddress));
        Assert.Equal([SeedNetwork.ServerPublicAddress], net.Internet.Stack.Responder.SeenSources);
    }

    [Fact]
    public void Pc1_and_pc2_talk_to_different_server_ports()
    {
        var net = SeedNetwork.Connected(seed: 5);
        var serverPorts = new Dictionary<string, HashSet<ushort>>(StringComparer.Ordinal);
        net.Network.Trace.Observe(e =>
        {
            if (e is { Kind: WireKind.Udp, TargetHost: "s1" })
                (serverPorts.TryGetValue(e.SourceHost, out var ports) ? ports : serverPorts[e.SourceHost] = []).Add(e.Target.Port);
        });

        AssertAnswered(net.Ping(net.Pc1.Host, Pc2Address));
        AssertAnswered(net.Ping(net.Pc2.Host, Pc1Address));

        Assert.NotEqual(net.Pc1.Grant!.Port, net.Pc2.Grant!.Port);
        Assert.Equal([net.Pc1.Grant.Port], serverPorts["pc1"]);
        Assert.Equal([net.Pc2.Grant.Port], serverPorts["pc2"]);
    }

    [Fact]
    public void No_datagram_on_the_wire_contains_the_ping_payload()
    {
        var net = SeedNetwork.Connected(seed: 6);
        var tunnelDatagrams = new List<byte[]>();
        net.Network.Trace.Observe(e =>
        {
            if (e.Kind == WireKind.Udp)
                tunnelDatagrams.Add(e.Bytes);
        });

        AssertAnswered(net.Ping(net.Pc1.Host, Pc2Address));
        AssertAnswered(net.Ping(net.Pc1.Host, SeedNetwork.InternetAddress));

        Assert.True(tunnelDatagrams.Count >= 6);
        Assert.All(tunnelDatagrams, d => Assert.True(d.AsSpan().IndexOf(PingPayload.Marker) < 0));
        Assert.All(tunnelDatagrams, d => Assert.True(d.AsSpan().IndexOf("abcdefghijklmnop"u8) < 0));
        Assert.False(net.Network.Violations.Any, net.Network.Violations.First);
    }

    [Fact]
    public void Pings_get_through_loss_duplication_and_reordering_and_nothing_is_delivered_twice()
    {
        var faults = LinkFaults.None with
        {
            LossPerMille = 100,
            DuplicatePerMille = 100,
            DelayMin = TimeSpan.FromMilliseconds(5),
            DelayMean = TimeSpan.FromMilliseconds(60),
        };
        var net = SeedNetwork.Connected(seed: 7, new SeedNetworkOptions { Faults = faults });

        var pings = new List<PingRecord>();
        for (var i = 0; i < 200; i++)
        {
            pings.Add(net.Network.StartPing(i % 2 == 0 ? net.Pc1.Host : net.Pc2.Host, i % 2 == 0 ? Pc2Address : Pc1Address)!);
            net.Clock.RunFor(TimeSpan.FromMilliseconds(20));
        }
        net.Clock.RunFor(TimeSpan.FromSeconds(5));

        var lines = net.Network.Trace.Lines;
        Assert.Contains(lines, l => l.StartsWith("t=", StringComparison.Ordinal) && l.Contains(" udp ") && l.Contains(" dup +"));
        Assert.Contains(lines, l => l.Contains(" udp ") && l.EndsWith("drop(loss)", StringComparison.Ordinal));
        // Four lossy crossings per round trip: about 0.9^4 of the pings come back.
        Assert.InRange(pings.Count(p => p.Replied), 100, 170);
        Assert.All(pings, p => Assert.InRange(p.RequestDeliveries, 0, 1));
        Assert.All(pings, p => Assert.InRange(p.ReplyDeliveries, 0, 1));
        Assert.False(net.Network.Violations.Any, net.Network.Violations.First);
    }

    [Fact]
    public void After_a_server_restart_clients_handshake_again_and_pings_resume()
    {
        var net = SeedNetwork.Connected(seed: 8);
        AssertAnswered(net.Ping(net.Pc1.Host, Pc2Address));
        net.Clock.RunFor(TimeSpan.FromSeconds(3));

        net.RestartServer();
        var resumed = net.PingUntilReplied(net.Pc1.Host, () => net.Pc2.VpnAddress, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1));

        AssertAnswered(resumed);
        Assert.Equal(2, net.Pc1.Connections);
        Assert.Equal(2, net.Pc2.Connections);
        Assert.False(net.Network.Violations.Any, net.Network.Violations.First);
    }

    [Fact]
    public void When_pc1s_public_address_changes_traffic_resumes_from_the_new_address()
    {
        var net = SeedNetwork.Connected(seed: 9);
        AssertAnswered(net.Ping(net.Pc1.Host, Pc2Address));

        var moved = net.Roam(net.Pc1);
        var afterMove = net.Ping(net.Pc1.Host, Pc2Address);
        var towardsPc1 = net.Ping(net.Pc2.Host, Pc1Address);

        AssertAnswered(afterMove);
        AssertAnswered(towardsPc1);
        Assert.Contains(net.Network.Trace.Lines, l => l.Contains($" udp s1 198.51.100.1:{net.Pc1.Grant!.Port} > pc1 {moved}:"));
        Assert.Equal(1, net.Pc1.Connections); // the session survived the move: no new handshake
        Assert.False(net.Network.Violations.Any, net.Network.Violations.First);
    }

    [Fact]
    public void After_a_client_restart_it_connects_again_and_pings_resume()
    {
        var net = SeedNetwork.Connected(seed: 10);

        net.RestartClient(net.Pc2);
        Assert.True(net.Clock.RunUntil(() => net.Pc2.Connections == 2, TimeSpan.FromSeconds(30)));

        AssertAnswered(net.PingUntilReplied(net.Pc1.Host, () => net.Pc2.VpnAddress, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1)));
        Assert.False(net.Network.Violations.Any, net.Network.Violations.First);
    }

    [Fact]
    public void Same_seed_gives_the_same_trace_and_a_different_seed_a_different_one()
    {
        static Trace Run(ulong seed)
        {
            var net = SeedNetwork.Connected(seed);
            net.Ping(net.Pc1.Host, Pc2Address);
            net.Ping(net.Pc1.Host, SeedNetwork.InternetAddress);
            return net.Network.Trace;
        }

        var first = Run(42);
        var again = Run(42);
        var other = Run(43);

        Assert.Equal(first.Lines, again.Lines);
        Assert.Equal(first.Fingerprint, again.Fingerprint);
        Assert.NotEqual(first.Fingerprint, other.Fingerprint);
    }

    [Fact]
    public void Datagrams_replayed_seconds_later_are_never_delivered_again()
    {
        var faults = LinkFaults.None with { ReplayPerMille = 300 };
        var net = SeedNetwork.Connected(seed: 11, new SeedNetworkOptions { Faults = faults });

        var pings = new List<PingRecord>();
        for (var i = 0; i < 100; i++)
        {
            pings.Add(net.Network.StartPing(net.Pc1.Host, i % 2 == 0 ? Pc2Address : SeedNetwork.InternetAddress)!);
            net.Clock.RunFor(TimeSpan.FromMilliseconds(100));
        }
        net.Clock.RunFor(TimeSpan.FromSeconds(25));

        Assert.Contains(net.Network.Trace.Lines, l => l.Contains(" udp ") && l.Contains(" replay +"));
        Assert.All(pings, p => Assert.True(p.Replied && p.RequestDeliveries == 1 && p.ReplyDeliveries == 1, $"ping #{p.Serial}"));
        Assert.True(net.ServerEngine!.Drops[MyVpn.Protocol.DropReason.Replayed] > 0);
        Assert.False(net.Network.Violations.Any, net.Network.Violations.First);
    }

    [Fact]
    public void Forged_tampered_and_replayed_datagrams_are_dropped_and_the_tunnel_keeps_working()
    {
        var net = SeedNetwork.Connected(seed: 12);
        AssertAnswered(net.Ping(net.Pc1.Host, Pc2Address));
        AssertAnswered(net.Ping(net.Pc2.Host, SeedNetwork.InternetAddress));

        net.Attacker.Strike(500);
        net.Clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.True(net.ServerEngine!.Drops.Total + net.Pc1.Engine!.Drops.Total + net.Pc2.Engine!.Drops.Total > 300);
        AssertAnswered(net.Ping(net.Pc1.Host, Pc2Address));
        AssertAnswered(net.Ping(net.Pc2.Host, Pc1Address));
        Assert.False(net.Network.Violations.Any, net.Network.Violations.First);
    }

    [Fact]
    public void A_partitioned_client_gets_through_again_once_the_partition_ends()
    {
        var net = SeedNetwork.Connected(seed: 13);

        net.Partition(net.Pc1, TimeSpan.FromSeconds(20));
        var during = net.Ping(net.Pc1.Host, Pc2Address, TimeSpan.FromSeconds(10));
        net.Clock.RunFor(TimeSpan.FromSeconds(10));
        var after = net.PingUntilReplied(net.Pc1.Host, () => net.Pc2.VpnAddress, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1));

        Assert.False(during!.Replied);
        AssertAnswered(after);
        Assert.False(net.Network.Violations.Any, net.Network.Violations.First);
    }
}

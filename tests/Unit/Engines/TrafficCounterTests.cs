using MyVpn.Protocol;
using MyVpn.Server;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Engines;

/// <summary>
/// The traffic counters behind <c>myvpn status</c>: inner packets and bytes each way per server session, the
/// server's totals and the client's, exact to the packet; keepalives and rekeys not counted; drops per session.
/// </summary>
public sealed class TrafficCounterTests
{
    private static SessionInfo SessionOf(EngineWorld world, string name) => world.Server.Sessions.Single(s => s.Name == name);

    private static byte[] Sized(string source, string destination, int length) =>
        Packets.IPv4(source, destination, new byte[length - 20]);

    [Fact]
    public void Packets_from_a_client_to_the_server_tun_are_counted_exactly_on_both_sides()
    {
        using var world = new EngineWorld("pc1");
        var pc1 = world.Connect("pc1");
        int[] sizes = [60, 84, 1000, 1420, 20];
        // several at once (one batch) and one by one
        foreach (var size in sizes[..3])
            world.Clients["pc1"].Tun.Inject(Sized("10.0.0.2", "8.8.8.8", size));
        pc1.OnTunReadable();
        world.Network.Pump();
        foreach (var size in sizes[3..])
            world.SendFrom("pc1", Sized("10.0.0.2", "8.8.8.8", size));

        Assert.Equal(sizes.Length, world.ServerTun.Written.Count);
        var session = SessionOf(world, "pc1");
        Assert.Equal((5L, (long)sizes.Sum()), (session.RxPackets, session.RxBytes));
        Assert.Equal((0L, 0L), (session.TxPackets, session.TxBytes));
        var client = pc1.Status;
        Assert.Equal((5L, (long)sizes.Sum()), (client.TxPackets, client.TxBytes));
        Assert.Equal((0L, 0L), (client.RxPackets, client.RxBytes));
    }

    [Fact]
    public void Packets_from_the_server_tun_to_a_client_are_counted_exactly_on_both_sides()
    {
        using var world = new EngineWorld("pc1");
        var pc1 = world.Connect("pc1");
        for (var i = 0; i < 7; i++)
            world.ServerTun.Inject(Sized("8.8.8.8", "10.0.0.2", 100 + i));
        world.Server.OnTunReadable();
        world.Network.Pump();

        Assert.Equal(7, world.Clients["pc1"].Tun.Written.Count);
        var expectedBytes = Enumerable.Range(0, 7).Sum(i => 100L + i);
        var session = SessionOf(world, "pc1");
        Assert.Equal((7L, expectedBytes), (session.TxPackets, session.TxBytes));
        Assert.Equal((7L, expectedBytes), (pc1.Status.RxPackets, pc1.Status.RxBytes));
        Assert.Equal(new MyVpn.Tunnel.TrafficTotals(0, 0, 7, expectedBytes), world.Server.Traffic);
    }

    [Fact]
    public void A_packet_between_clients_is_received_from_one_session_and_sent_to_the_other()
    {
        using var world = new EngineWorld("pc1", "pc2");
        var pc1 = world.Connect("pc1");
        var pc2 = world.Connect("pc2");
        world.SendFrom("pc1", Sized("10.0.0.2", "10.0.0.3", 300));
        world.SendFrom("pc1", Sized("10.0.0.2", "10.0.0.3", 400));

        Assert.Equal((2L, 700L), (SessionOf(world, "pc1").RxPackets, SessionOf(world, "pc1").RxBytes));
        Assert.Equal((2L, 700L), (SessionOf(world, "pc2").TxPackets, SessionOf(world, "pc2").TxBytes));
        Assert.Equal((2L, 700L), (pc1.Status.TxPackets, pc1.Status.TxBytes));
        Assert.Equal((2L, 700L), (pc2.Status.RxPackets, pc2.Status.RxBytes));
        Assert.Equal(new MyVpn.Tunnel.TrafficTotals(2, 700, 2, 700), world.Server.Traffic);
    }

    [Fact]
    public void Keepalives_and_rekeys_are_not_traffic_and_a_rekey_keeps_the_counts()
    {
        using var world = new EngineWorld(new VpnServerOptions
        {
            Clients = [new ClientEntry("pc1", Handshakes.Key(1))],
            RekeyInterval = TimeSpan.FromSeconds(20),
        });
        var pc1 = world.Connect("pc1");
        world.SendFrom("pc1", Sized("10.0.0.2", "8.8.8.8", 84));
        var before = SessionOf(world, "pc1");

        world.Run(TimeSpan.FromSeconds(45)); // keepalives both ways, two rekeys

        var after = SessionOf(world, "pc1");
        Assert.True(pc1.Handshakes >= 2);
        Assert.NotEqual(before.SessionId, after.SessionId);
        Assert.Equal((1L, 84L, 0L, 0L), (after.RxPackets, after.RxBytes, after.TxPackets, after.TxBytes));
        Assert.Equal((1L, 84L, 0L, 0L), (pc1.Status.TxPackets, pc1.Status.TxBytes, pc1.Status.RxPackets, pc1.Status.RxBytes));
        Assert.True(after.SinceHandshake < TimeSpan.FromSeconds(20), $"last handshake {after.SinceHandshake} ago");
        Assert.True(pc1.Status.SinceHandshake < TimeSpan.FromSeconds(20), $"last handshake {pc1.Status.SinceHandshake} ago");
    }

    [Fact]
    public void Time_since_the_handshake_grows_with_the_clock()
    {
        using var world = new EngineWorld("pc1");
        var pc1 = world.Connect("pc1");
        Assert.Equal(TimeSpan.Zero, SessionOf(world, "pc1").SinceHandshake);
        world.Run(TimeSpan.FromSeconds(7));
        Assert.Equal(TimeSpan.FromSeconds(7), SessionOf(world, "pc1").SinceHandshake);
        Assert.Equal(TimeSpan.FromSeconds(7), pc1.Status.SinceHandshake);
        Assert.True(pc1.Status.Connected);
        Assert.Equal(pc1.Grant, pc1.Status.Grant);
        Assert.Equal(SessionOf(world, "pc1").Port, pc1.Status.Endpoint.Port);
    }

    [Fact]
    public void A_drop_the_server_can_pin_on_a_session_is_counted_for_that_session_too()
    {
        using var world = new EngineWorld("pc1", "pc2");
        world.Connect("pc1");
        world.Connect("pc2");
        world.SendFrom("pc1", Packets.IPv4("10.0.0.3", "8.8.8.8")); // spoofs pc2

        Assert.Equal(1, world.Server.Drops[DropReason.SpoofedSource]);
        var pc1 = SessionOf(world, "pc1");
        Assert.Equal(1, pc1.Drops[DropReason.SpoofedSource]);
        Assert.Single(pc1.Drops);
        Assert.Empty(SessionOf(world, "pc2").Drops);
        Assert.Equal(0, pc1.RxPackets); // dropped, not delivered
    }

    [Fact]
    public void Session_snapshots_are_equal_when_their_values_are_drops_included()
    {
        var a = new SessionInfo("pc1", 1, MyVpn.Net.IPv4Address.Parse("10.0.0.2"), 40000, default)
        {
            RxPackets = 3, Drops = new Dictionary<DropReason, long> { [DropReason.Replayed] = 2 },
        };
        var same = a with { Drops = new SortedDictionary<DropReason, long> { [DropReason.Replayed] = 2 } };
        Assert.Equal(a, same);
        Assert.Equal(a.GetHashCode(), same.GetHashCode());
        Assert.NotEqual(a, a with { Drops = new Dictionary<DropReason, long> { [DropReason.Replayed] = 3 } });
        Assert.NotEqual(a, a with { Drops = new Dictionary<DropReason, long>() });
        Assert.NotEqual(a, a with { RxPackets = 4 });
    }

    [Fact]
    public void The_traffic_of_a_closed_session_stays_in_the_servers_totals()
    {
        using var world = new EngineWorld("pc1", "pc2");
        var pc1 = world.Connect("pc1");
        world.Connect("pc2");
        world.SendFrom("pc1", Sized("10.0.0.2", "8.8.8.8", 500));
        world.SendFrom("pc2", Sized("10.0.0.3", "8.8.8.8", 200));
        pc1.Dispose(); // silent from now on: its session expires
        world.Run(world.Options.SessionTimeout + TimeSpan.FromSeconds(10));

        Assert.Equal("pc2", Assert.Single(world.Server.Sessions).Name);
        Assert.Equal(2, world.Server.Traffic.RxPackets);
        Assert.Equal(700, world.Server.Traffic.RxBytes);
    }
}

using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Server;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Engines;

/// <summary>
/// Rekeying (docs/protocol.md §5.7, §6): the server asks in-band, the client handshakes again while its
/// session stays up, the server installs the new keys as next and seals under them once they are
/// confirmed, the old keys open late datagrams for a grace period only; address and port stay.
/// </summary>
public sealed class RekeyTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(20);

    private static EngineWorld World(List<SessionKeys>? keyLog = null, TimeSpan? interval = null) =>
        new(new VpnServerOptions
        {
            Clients = [new ClientEntry("pc1", Handshakes.Key(1)), new ClientEntry("pc2", Handshakes.Key(2))],
            RekeyInterval = interval ?? Interval,
            KeyLog = keyLog is null ? null : keyLog.Add,
        });

    private static SessionInfo Only(EngineWorld world) => Assert.Single(world.Server.Sessions);

    /// <summary>Rekey requests on the wire: 33-byte datagrams (one byte of plaintext) from the session's server port.</summary>
    private static int Requests(EngineWorld world, ushort port) =>
        world.Network.Wire.Count(d => !d.Tcp && d.From.Port == port && d.Bytes.Length == WireFormat.Overhead + 1);

    private static uint IdOf(byte[] datagram) => BinaryPrimitives.ReadUInt32BigEndian(datagram);

    [Fact]
    public void Keys_reaching_the_interval_are_renewed_with_a_new_session_id_and_the_same_address_and_port()
    {
        using var world = World();
        var pc1 = world.Connect("pc1");
        var before = Only(world);
        world.Run(Interval - TimeSpan.FromSeconds(2));
        Assert.Equal(1, pc1.Handshakes);
        Assert.Equal(0, Requests(world, before.Port));

        world.Run(TimeSpan.FromSeconds(8));

        Assert.True(Requests(world, before.Port) >= 1);
        Assert.Equal(2, pc1.Handshakes);
        var after = Only(world);
        Assert.NotEqual(before.SessionId, after.SessionId);
        Assert.Equal(before.Address, after.Address);
        Assert.Equal(before.Port, after.Port);
        Assert.Equal(before.Endpoint, after.Endpoint);
        Assert.Equal(after.SessionId, pc1.Grant!.SessionId);
        Assert.Equal(0, world.Server.Drops.Total);
        Assert.Equal(0, pc1.Drops.Total);
    }

    [Fact]
    public void Every_rekey_is_a_new_session_id_and_traffic_flows_throughout()
    {
        using var world = World();
        var pc1 = world.Connect("pc1");
        var port = Only(world).Port;
        for (var i = 0; i < 40; i++)
        {
            world.Run(TimeSpan.FromSeconds(5));
            var packet = Packets.IPv4("10.0.0.2", "8.8.8.8");
            world.SendFrom("pc1", packet);
            Assert.Equal(packet, world.ServerTun.Written[^1]);
            world.ServerTun.Inject(Packets.IPv4("8.8.8.8", "10.0.0.2"));
            world.Server.OnTunReadable();
            world.Network.Pump();
        }
        Assert.Equal(40, world.Clients["pc1"].Tun.Written.Count);
        Assert.True(pc1.Handshakes >= 8, $"{pc1.Handshakes} handshakes in 200 s");
        var ids = world.Network.Wire.Where(d => !d.Tcp && (d.From.Port == port || d.To.Port == port)).Select(d => IdOf(d.Bytes)).Distinct().ToList();
        Assert.Equal(pc1.Handshakes, ids.Count);
        Assert.Equal(0, world.Server.Drops.Total);
        Assert.Equal(0, pc1.Drops.Total);
    }

    [Fact]
    public void Server_resends_the_request_on_every_tick_until_the_rekey_lands()
    {
        using var world = World();
        var pc1 = world.Connect("pc1");
        var port = Only(world).Port;
        world.Network.StopListening(EngineWorld.ServerEndpoint); // the client's rekey handshakes fail
        world.Run(Interval + TimeSpan.FromSeconds(1));
        var first = Requests(world, port);
        Assert.True(first >= 1);
        var tick = VpnServer.TickPeriod(world.Options);
        world.Run(4 * tick);
        Assert.InRange(Requests(world, port) - first, 3, 5);
        Assert.True(pc1.IsConnected); // a failed rekey leaves the session up
        Assert.Equal(1, pc1.Handshakes);

        world.Network.Listen(EngineWorld.ServerEndpoint, world.Server);
        world.Run(2 * tick);
        Assert.Equal(2, pc1.Handshakes);
        var landed = Requests(world, port);
        world.Run(Interval / 2); // the fresh keys are young: no request until they reach the interval

        Assert.Equal(landed, Requests(world, port));
    }

    [Fact]
    public void A_rekey_requested_out_of_schedule_is_asked_at_once_and_again_on_every_tick_until_it_lands()
    {
        using var world = World();
        var pc1 = world.Connect("pc1");
        var port = Only(world).Port;
        world.Run(TimeSpan.FromSeconds(1));
        Assert.False(world.Server.RequestRekey("pc2")); // no session
        Assert.False(world.Server.RequestRekey("nobody"));
        world.Network.StopListening(EngineWorld.ServerEndpoint); // the rekey handshakes fail for now

        Assert.True(world.Server.RequestRekey("pc1"));
        Assert.Equal(1, Requests(world, port));
        var tick = VpnServer.TickPeriod(world.Options);
        world.Run(3 * tick);
        Assert.InRange(Requests(world, port), 3, 5); // the keys are young: only the request asks
        Assert.Equal(1, pc1.Handshakes);

        world.Network.Listen(EngineWorld.ServerEndpoint, world.Server);
        world.Run(2 * tick);
        Assert.Equal(2, pc1.Handshakes);
        var landed = Requests(world, port);
        world.Run(Interval / 2);
        Assert.Equal(landed, Requests(world, port)); // landed: the ask is over
    }

    [Fact]
    public void The_observers_see_every_grant_and_the_keys_each_datagram_opened_under()
    {
        using var world = World();
        var granted = new List<(string Name, uint SessionId)>();
        var serverOpened = new List<(string Name, uint SessionId)>();
        world.Server.Granted = (name, grant) => granted.Add((name, grant.SessionId));
        world.Server.Opened = (name, id) => serverOpened.Add((name, id));
        var pc1 = world.Connect("pc1");
        var clientOpened = new List<uint>();
        pc1.Opened = clientOpened.Add;
        var first = pc1.Grant!.SessionId;
        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "8.8.8.8"));

        Assert.True(world.Server.RequestRekey("pc1"));
        world.Network.Pump();
        world.Run(TimeSpan.FromSeconds(1));
        var second = pc1.Grant!.SessionId;
        world.ServerTun.Inject(Packets.IPv4("8.8.8.8", "10.0.0.2"));
        world.Server.OnTunReadable();
        world.Network.Pump();

        Assert.Equal([("pc1", first), ("pc1", second)], granted);
        Assert.Contains(("pc1", first), serverOpened);
        Assert.Equal(("pc1", second), serverOpened[^1]);
        Assert.Equal(first, clientOpened[0]); // the request, under the first keys
        Assert.Equal(second, clientOpened[^1]);
    }

    [Fact]
    public void Server_seals_under_the_new_keys_only_after_an_authentic_datagram_under_them()
    {
        using var world = World();
        var pc1 = world.Connect("pc1");
        var old = Only(world);
        world.Network.Drop = (from, to) => to.Port == old.Port; // the client's datagrams are lost for now
        world.Run(Interval + TimeSpan.FromSeconds(1));
        Assert.Equal(2, pc1.Handshakes); // the handshake runs over the stream, which is not lost
        var fresh = pc1.Grant!.SessionId;
        Assert.Equal(old.SessionId, Only(world).SessionId);

        world.ServerTun.Inject(Packets.IPv4("8.8.8.8", "10.0.0.2"));
        world.Server.OnTunReadable();
        world.Network.Pump();
        Assert.Equal(old.SessionId, IdOf(world.Network.Wire[^1].Bytes)); // not yet confirmed: the old keys seal
        Assert.Single(world.Clients["pc1"].Tun.Written); // and the client still opens them

        world.Network.Drop = null;
        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "8.8.8.8"));
        Assert.Equal(fresh, Only(world).SessionId); // confirmed: promoted
        world.ServerTun.Inject(Packets.IPv4("8.8.8.8", "10.0.0.2"));
        world.Server.OnTunReadable();
        world.Network.Pump();
        Assert.Equal(fresh, IdOf(world.Network.Wire[^1].Bytes));
        Assert.Equal(2, world.Clients["pc1"].Tun.Written.Count);
        Assert.Equal(0, pc1.Drops.Total);
    }

    [Fact]
    public void A_rekey_the_server_lost_to_a_stale_handshake_of_the_client_is_noticed_and_made_again()
    {
        using var world = World(interval: TimeSpan.FromHours(1));
        var pc1 = world.Connect("pc1");
        var first = Only(world);
        // an attempt of pc1's that it gave up on: its last message is still on the way to the server
        using var stale = new ClientHandshake("pc1", Handshakes.Key(1), default, new TestRandom(77));
        var raw = ServerHandshakeErrorTests.Open(world, "192.0.2.10");
        raw.Connection!.Send(stale.Start());
        world.Network.Pump();
        var finish = stale.OnData(raw.Received.ToArray()).Reply!;

        world.Network.Drop = (_, to) => to.Port == first.Port; // the server does not see the new keys yet
        pc1.Rehandshake();
        world.Network.Pump();
        var rekeyed = pc1.Grant!.SessionId;
        Assert.Equal(2, pc1.Handshakes);
        raw.Connection.Send(finish); // the stale attempt completes on the server: its keys replace pc1's new ones there
        world.Network.Pump();
        world.Network.Drop = null;
        world.Run(TimeSpan.FromSeconds(25));
        Assert.Equal(2, pc1.Handshakes); // the server still seals under the first keys: pc1 hears it, not silent
        Assert.Equal(first.SessionId, Only(world).SessionId);

        world.Run(TimeSpan.FromSeconds(10)); // 30 s (three keepalive intervals) without the server taking them

        Assert.Equal(3, pc1.Handshakes);
        Assert.NotEqual(rekeyed, pc1.Grant!.SessionId);
        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "8.8.8.8"));
        Assert.Equal(pc1.Grant.SessionId, Only(world).SessionId);
        Assert.Equal(Packets.IPv4("10.0.0.2", "8.8.8.8"), world.ServerTun.Written[^1]);
    }

    [Fact]
    public void Previous_keys_open_datagrams_in_flight_during_the_grace_period_only()
    {
        using var world = World();
        var pc1 = world.Connect("pc1");
        var session = Only(world);
        var withheld = new List<WireDatagram>();
        world.Run(Interval - TimeSpan.FromSeconds(1));
        // three datagrams under the old keys are held back on the way to the server
        world.Network.Drop = (_, to) => to.Port == session.Port;
        for (var i = 0; i < 3; i++)
            world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "8.8.8.8"));
        withheld.AddRange(world.Network.Wire.Where(d => !d.Tcp && d.To.Port == session.Port).TakeLast(3));
        world.Network.Drop = null;
        world.Run(TimeSpan.FromSeconds(6)); // rekeyed and confirmed by the client's keepalive
        Assert.Equal(2, pc1.Handshakes);
        Assert.NotEqual(session.SessionId, Only(world).SessionId);
        Assert.All(withheld, d => Assert.Equal(session.SessionId, IdOf(d.Bytes)));
        var delivered = world.ServerTun.Written.Count;

        Deliver(world, withheld[0]);
        Assert.Equal(delivered + 1, world.ServerTun.Written.Count); // within the grace period: opens

        world.Run(world.Options.RekeyGrace);
        Deliver(world, withheld[1]);
        Assert.Equal(delivered + 1, world.ServerTun.Written.Count); // after it: dropped
        Assert.Equal(1, world.Server.Drops[DropReason.WrongSession]);
    }

    [Fact]
    public void Soft_limit_of_the_server_s_sending_counter_brings_a_request_before_the_interval()
    {
        using var world = World(interval: TimeSpan.FromHours(1));
        var pc1 = world.Connect("pc1");
        var port = Only(world).Port;
        world.Run(TimeSpan.FromSeconds(30));
        Assert.Equal(0, Requests(world, port));

        DataVector.NextCounterOf(SessionsOf(world.Server)[0].Crypto) = WireFormat.SoftCounterLimit;
        world.Run(TimeSpan.FromSeconds(10));
        Assert.True(Requests(world, port) >= 1);
        Assert.Equal(2, pc1.Handshakes);
        Assert.Equal(0, pc1.Drops.Total);
    }

    [Fact]
    public void Soft_limit_of_the_client_s_counter_brings_a_request_before_the_interval()
    {
        var keys = new List<SessionKeys>();
        using var world = World(keys, interval: TimeSpan.FromHours(1));
        var pc1 = world.Connect("pc1");
        var session = Only(world);
        world.Run(TimeSpan.FromSeconds(30));
        Assert.Equal(0, Requests(world, session.Port));

        // a datagram sealed under the client's key at the soft limit, as the client's own would be
        var logged = Assert.Single(keys);
        using var clone = new SessionSealer(logged.SessionId, logged.ClientToServer);
        DataVector.NextCounterOf(clone) = WireFormat.SoftCounterLimit;
        Deliver(world, new WireDatagram(session.Endpoint, new NetEndpoint(IPv4Address.Parse("198.51.100.1"), session.Port), DataVector.Seal(clone, [])));
        world.Run(TimeSpan.FromSeconds(10));
        Assert.True(Requests(world, session.Port) >= 1);
        Assert.Equal(2, pc1.Handshakes);
    }

    [Fact]
    public void Session_whose_client_never_rekeys_is_closed_after_the_deadline_and_the_client_comes_back()
    {
        using var world = World();
        var pc1 = world.Connect("pc1");
        var address = Only(world).Address;
        world.Network.StopListening(EngineWorld.ServerEndpoint);
        world.Run(VpnServerOptions.RekeyDeadlineFactor * Interval - TimeSpan.FromSeconds(6));
        Assert.Single(world.Server.Sessions);
        world.Run(TimeSpan.FromSeconds(6));
        Assert.Empty(world.Server.Sessions);

        world.Network.Listen(EngineWorld.ServerEndpoint, world.Server);
        world.Run(TimeSpan.FromSeconds(60)); // the client's dead-server check, then a new session
        Assert.Equal(address, Only(world).Address);
        Assert.True(pc1.IsConnected);
        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "8.8.8.8"));
        Assert.Equal("10.0.0.2", new IPv4Address(BinaryPrimitives.ReadUInt32BigEndian(world.ServerTun.Written[^1].AsSpan(12))).ToString());
    }

    [Fact]
    public void A_restarted_client_gets_its_session_back_with_the_same_address_and_port_and_is_followed_to_its_new_socket()
    {
        using var world = World();
        var first = world.Connect("pc1");
        var before = Only(world);
        first.Dispose();
        var second = world.Connect("pc1", publicAddress: "192.0.2.99");
        var after = Only(world);
        Assert.Equal(before.Address, after.Address);
        Assert.Equal(before.Port, after.Port);
        Assert.NotEqual(before.SessionId, after.SessionId);
        Assert.Equal(IPv4Address.Parse("192.0.2.99"), after.Endpoint.Address);
        var reply = Packets.IPv4("8.8.8.8", "10.0.0.2");
        world.ServerTun.Inject(reply);
        world.Server.OnTunReadable();
        world.Network.Pump();
        Assert.Equal(reply, Assert.Single(world.Clients["pc1"].Tun.Written));
        Assert.True(second.IsConnected);
    }

    [Fact]
    public void Hard_counter_limit_is_two_to_the_23_and_the_soft_limit_half_of_it()
    {
        Assert.Equal(1UL << 23, WireFormat.MaxCounter);
        Assert.Equal(WireFormat.MaxCounter / 2, WireFormat.SoftCounterLimit);
        using var session = DataVector.ClientSession();
        DataVector.NextCounterOf(session) = WireFormat.MaxCounter;
        Assert.False(session.TrySeal(new byte[64], 8, out _));
        Assert.Equal(DropReason.CounterExhausted, MyVpn.Tunnel.DataPath.SealFailure(session));
    }

    [Fact]
    public void Tick_is_often_enough_for_keepalives_and_rekeys()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), VpnServer.TickPeriod(new VpnServerOptions()));
        Assert.Equal(TimeSpan.FromSeconds(1.25), VpnServer.TickPeriod(new VpnServerOptions { RekeyInterval = TimeSpan.FromSeconds(5) }));
    }

    internal static void Deliver(EngineWorld world, WireDatagram datagram)
    {
        world.Network.SendDatagram(datagram.From, datagram.To, datagram.Bytes);
        world.Network.Pump();
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_sessions")]
    internal static extern ref List<ServerSession> SessionsOf(VpnServer server);
}

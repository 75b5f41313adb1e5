using System.Buffers.Binary;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Server;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Engines;

/// <summary>
/// One-port mode (<see cref="VpnServerOptions.SinglePort"/>): every session on the handshake port's number,
/// told apart by the session id in each datagram; a datagram counts for a session only once it opens under
/// that session's keys, so a forged, replayed or misdirected one with a valid session id changes nothing.
/// </summary>
public sealed class SinglePortTests
{
    private static readonly NetEndpoint Shared = EngineWorld.ServerEndpoint;
    private static readonly NetEndpoint Elsewhere = NetEndpoint.Parse("203.0.113.66:4444");

    private static EngineWorld World(TimeSpan? rekeyInterval = null) => new(new VpnServerOptions
    {
        Clients = [new ClientEntry("pc1", Handshakes.Key(1)), new ClientEntry("pc2", Handshakes.Key(2))],
        SinglePort = Shared.Port,
        RekeyInterval = rekeyInterval ?? VpnServerOptions.DefaultRekeyInterval,
    });

    private static SessionInfo SessionOf(EngineWorld world, string name) => world.Server.Sessions.Single(s => s.Name == name);

    private static uint IdOf(byte[] datagram) => BinaryPrimitives.ReadUInt32BigEndian(datagram);

    /// <summary>The last datagram pc1 sent to the server (after <see cref="EngineWorld.SendFrom"/>).</summary>
    private static WireDatagram LastToServer(EngineWorld world) => world.Network.Wire.Last(d => !d.Tcp && d.To == Shared);

    [Fact]
    public void Every_session_is_granted_the_handshake_port_and_clients_reach_each_other_through_it()
    {
        using var world = World();
        var pc1 = world.Connect("pc1");
        var pc2 = world.Connect("pc2");

        Assert.Equal(Shared.Port, pc1.Grant!.Port);
        Assert.Equal(Shared.Port, pc2.Grant!.Port);
        Assert.All(world.Server.Sessions, s => Assert.Equal(Shared.Port, s.Port));
        var ping = Packets.IPv4("10.0.0.2", "10.0.0.3");
        world.SendFrom("pc1", ping);
        Assert.Equal(ping, Assert.Single(world.Clients["pc2"].Tun.Written));
        var reply = Packets.IPv4("10.0.0.3", "10.0.0.2");
        world.SendFrom("pc2", reply);
        Assert.Equal(reply, Assert.Single(world.Clients["pc1"].Tun.Written));
        world.ServerTun.Inject(Packets.IPv4("8.8.8.8", "10.0.0.3"));
        world.Server.OnTunReadable();
        world.Network.Pump();
        Assert.Equal(2, world.Clients["pc2"].Tun.Written.Count);

        var udp = world.Network.Wire.Where(d => !d.Tcp).ToList();
        Assert.All(udp, d => Assert.True(d.From == Shared || d.To == Shared, $"{d.From} -> {d.To} misses the shared port"));
        Assert.Equal(0, world.Server.Drops.Total);
    }

    [Fact]
    public void Packets_from_tun_for_different_clients_leave_in_one_send_on_the_shared_socket()
    {
        using var world = World();
        world.Connect("pc1");
        world.Connect("pc2");
        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "8.8.8.8"));
        world.SendFrom("pc2", Packets.IPv4("10.0.0.3", "8.8.8.8"));
        world.ServerTun.ReadsPerCall = 4;
        world.ServerTun.Inject(Packets.IPv4("8.8.8.8", "10.0.0.2"));
        world.ServerTun.Inject(Packets.IPv4("8.8.8.8", "10.0.0.3"));
        world.ServerTun.Inject(Packets.IPv4("8.8.4.4", "10.0.0.2"));

        world.Server.OnTunReadable();
        world.Network.Pump();

        Assert.Equal(3, world.Network.Socket(Shared).SendBatches[^1]); // one sendmmsg for all three
        Assert.Equal(2, world.Clients["pc1"].Tun.Written.Count);
        Assert.Single(world.Clients["pc2"].Tun.Written);
    }

    [Fact]
    public void Datagram_with_another_sessions_id_that_does_not_open_is_dropped_and_changes_nothing()
    {
        using var world = World();
        world.Connect("pc1");
        world.Connect("pc2");
        world.SendFrom("pc2", Packets.IPv4("10.0.0.3", "8.8.8.8"));
        var pc2 = SessionOf(world, "pc2");
        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "8.8.8.8"));
        var forged = LastToServer(world).Bytes.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(forged, pc2.SessionId); // pc1's datagram claims to be pc2's
        forged[11] += 100; // a counter far ahead: would move pc2's endpoint if it were believed
        var written = world.ServerTun.Written.Count;

        RekeyTests.Deliver(world, new WireDatagram(Elsewhere, Shared, forged));

        Assert.Equal(written, world.ServerTun.Written.Count);
        Assert.Equal(1, world.Server.Drops[DropReason.AuthenticationFailed]);
        var after = SessionOf(world, "pc2");
        Assert.Equal(pc2.Endpoint, after.Endpoint);
        Assert.Equal(1, after.Drops[DropReason.AuthenticationFailed]);
        Assert.Equal(pc2.RxPackets, after.RxPackets);
        world.SendFrom("pc2", Packets.IPv4("10.0.0.3", "8.8.8.8"));
        Assert.Equal(written + 1, world.ServerTun.Written.Count); // pc2 is untouched
    }

    [Fact]
    public void Replayed_datagram_from_another_endpoint_is_dropped_and_does_not_move_the_session()
    {
        using var world = World();
        world.Connect("pc1");
        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "8.8.8.8"));
        var copy = LastToServer(world);
        var before = SessionOf(world, "pc1");

        RekeyTests.Deliver(world, copy with { From = Elsewhere });

        Assert.Equal(1, world.Server.Drops[DropReason.Replayed]);
        Assert.Equal(before.Endpoint, SessionOf(world, "pc1").Endpoint);
        Assert.Single(world.ServerTun.Written);
    }

    [Fact]
    public void Datagram_with_an_unknown_session_id_or_too_short_for_one_is_counted_as_no_session()
    {
        using var world = World();
        world.Connect("pc1");
        var bytes = new byte[WireFormat.Overhead + 20];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, SessionOf(world, "pc1").SessionId + 1);

        RekeyTests.Deliver(world, new WireDatagram(Elsewhere, Shared, bytes));
        RekeyTests.Deliver(world, new WireDatagram(Elsewhere, Shared, new byte[3]));

        Assert.Equal(1, world.Server.Drops[DropReason.NoSession]);
        Assert.Equal(1, world.Server.Drops[DropReason.DatagramTooShort]);
        Assert.Empty(world.ServerTun.Written);
    }

    [Fact]
    public void Client_whose_address_changes_is_followed_after_its_next_datagram()
    {
        using var world = World();
        world.Connect("pc1");
        var moved = new NetEndpoint(IPv4Address.Parse("192.0.2.200"), 6000);
        world.Network.Socket(world.Clients["pc1"].Engine.LocalEndpoint).SourceOverride = moved;

        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "8.8.8.8"));

        Assert.Equal(moved, SessionOf(world, "pc1").Endpoint);
        world.ServerTun.Inject(Packets.IPv4("8.8.8.8", "10.0.0.2"));
        world.Server.OnTunReadable();
        Assert.Equal(moved, world.Network.Wire[^1].To);
        Assert.Equal(Shared, world.Network.Wire[^1].From);
    }

    [Fact]
    public void Rekey_keeps_the_shared_port_and_the_old_session_id_stops_opening_after_its_grace()
    {
        using var world = World(TimeSpan.FromSeconds(20));
        var pc1 = world.Connect("pc1");
        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "8.8.8.8"));
        var old = LastToServer(world);
        var before = SessionOf(world, "pc1");

        world.Run(TimeSpan.FromSeconds(25)); // rekeyed, confirmed by the keepalives under the new keys
        Assert.Equal(2, pc1.Handshakes);
        var after = SessionOf(world, "pc1");
        Assert.NotEqual(before.SessionId, after.SessionId);
        Assert.Equal(Shared.Port, after.Port);
        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "8.8.8.8"));
        Assert.Equal(after.SessionId, IdOf(LastToServer(world).Bytes));
        Assert.Equal(2, world.ServerTun.Written.Count);
        world.Run(TimeSpan.FromSeconds(15)); // past the previous keys' grace

        var late = old.Bytes.ToArray();
        late[11] += 1; // not a replay: only the session id decides
        RekeyTests.Deliver(world, old with { Bytes = late });

        Assert.Equal(1, world.Server.Drops[DropReason.NoSession]);
        Assert.Equal(2, world.ServerTun.Written.Count);
    }

    [Fact]
    public void Reload_that_removes_a_client_ends_its_session_and_the_others_keep_the_shared_port()
    {
        using var world = World();
        world.Connect("pc1");
        world.Connect("pc2");
        world.SendFrom("pc2", Packets.IPv4("10.0.0.3", "8.8.8.8"));
        var pc2Datagram = LastToServer(world);

        world.Server.UpdateClients([new ClientEntry("pc1", Handshakes.Key(1))], null);

        Assert.Equal("pc1", Assert.Single(world.Server.Sessions).Name);
        RekeyTests.Deliver(world, pc2Datagram with { Bytes = pc2Datagram.Bytes.ToArray() });
        Assert.Equal(1, world.Server.Drops[DropReason.NoSession]);
        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "8.8.8.8"));
        Assert.Equal(2, world.ServerTun.Written.Count);
    }

    [Fact]
    public void Disposing_the_server_closes_the_shared_port()
    {
        var world = World();
        world.Connect("pc1");
        Assert.NotNull(world.Network.Socket(Shared));

        world.Dispose();

        Assert.Throws<KeyNotFoundException>(() => world.Network.Socket(Shared));
    }

    [Fact]
    public void Receiving_on_the_shared_port_allocates_nothing_per_datagram()
    {
        PreloadedBinder? binder = null;
        using var world = new EngineWorld(new VpnServerOptions
        {
            Clients = [new ClientEntry("pc1", Handshakes.Key(1))],
            SinglePort = Shared.Port,
        }, serverBinder: inner => binder = new PreloadedBinder(inner));
        world.Connect("pc1");
        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "8.8.8.8")); // the session learns its endpoint
        world.Network.Drop = (_, to) => to == Shared; // collected here, delivered below
        for (var i = 0; i < 400; i++)
            world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "8.8.8.8", new byte[1000]));
        world.Network.Drop = null;
        var sent = world.Network.Wire.Where(d => !d.Tcp && d.To == Shared).TakeLast(400).Select(d => d.Bytes).ToArray();
        var from = SessionOf(world, "pc1").Endpoint;
        var socket = binder!.Socket(Shared.Port);
        world.ServerTun.Record = false;
        socket.Load(sent[..200], from);
        socket.Readable(); // warm-up: scratch rented, code paths jitted
        socket.Load(sent[200..], from);

        var before = GC.GetAllocatedBytesForCurrentThread();
        socket.Readable();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(400, world.ServerTun.WriteCount);
        Assert.Equal(0, allocated);
    }
}

using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Server;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Engines;

/// <summary>
/// Roaming (docs/protocol.md §6): a session's endpoint moves only on an authentic datagram whose counter
/// is above every counter seen under those keys, so a datagram an on-path attacker withheld and replays
/// from elsewhere, a duplicate or a forgery never moves it; a real move of the client does.
/// </summary>
public sealed class RoamingTests
{
    private static readonly NetEndpoint Elsewhere = NetEndpoint.Parse("203.0.113.66:4444");

    private static (EngineWorld World, SessionInfo Session, NetEndpoint ServerPort) Connected()
    {
        var world = new EngineWorld("pc1");
        world.Connect("pc1");
        var session = Assert.Single(world.Server.Sessions);
        return (world, session, new NetEndpoint(EngineWorld.ServerEndpoint.Address, session.Port));
    }

    private static NetEndpoint EndpointOf(EngineWorld world) => Assert.Single(world.Server.Sessions).Endpoint;

    [Fact]
    public void Withheld_datagram_replayed_from_another_address_is_delivered_but_does_not_move_the_endpoint()
    {
        var (world, session, _) = Connected();
        using var _w = world;
        world.Network.Drop = (_, to) => to.Port == session.Port; // on path: holds the next datagram back
        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "8.8.8.8"));
        var withheld = world.Network.Wire[^1];
        world.Network.Drop = null;
        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "8.8.8.8")); // a later counter arrives first
        var delivered = world.ServerTun.Written.Count;

        RekeyTests.Deliver(world, withheld with { From = Elsewhere });

        Assert.Equal(delivered + 1, world.ServerTun.Written.Count); // authentic and inside the replay window
        Assert.Equal(session.Endpoint, EndpointOf(world));
    }

    [Fact]
    public void Duplicate_from_another_address_is_dropped_and_does_not_move_the_endpoint()
    {
        var (world, session, _) = Connected();
        using var _w = world;
        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "8.8.8.8"));
        var copy = world.Network.Wire[^1];

        RekeyTests.Deliver(world, copy with { From = Elsewhere });

        Assert.Equal(1, world.Server.Drops[DropReason.Replayed]);
        Assert.Equal(session.Endpoint, EndpointOf(world));
    }

    [Fact]
    public void Forged_datagram_with_a_higher_counter_from_another_address_does_not_move_the_endpoint()
    {
        var (world, session, serverPort) = Connected();
        using var _w = world;
        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "8.8.8.8"));
        var forged = world.Network.Wire[^1].Bytes.ToArray();
        forged[11] += 100; // the counter's low byte: far ahead of anything seen
        forged[^1] ^= 1;

        RekeyTests.Deliver(world, new WireDatagram(Elsewhere, serverPort, forged));

        Assert.Equal(1, world.Server.Drops[DropReason.AuthenticationFailed]);
        Assert.Equal(session.Endpoint, EndpointOf(world));
    }

    [Fact]
    public void Client_whose_address_changes_is_followed_after_its_next_datagram()
    {
        var (world, session, _) = Connected();
        using var _w = world;
        var moved = new NetEndpoint(IPv4Address.Parse("192.0.2.200"), 6000);
        world.Network.Socket(world.Clients["pc1"].Engine.LocalEndpoint).SourceOverride = moved;
        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "8.8.8.8"));
        Assert.Equal(moved, EndpointOf(world));
        Assert.NotEqual(session.Endpoint, moved);
    }

    [Fact]
    public void Datagram_under_the_previous_keys_never_moves_the_endpoint()
    {
        using var world = new EngineWorld(new Server.VpnServerOptions
        {
            Clients = [new Server.ClientEntry("pc1", Handshakes.Key(1))],
            RekeyInterval = TimeSpan.FromSeconds(20),
        });
        world.Connect("pc1");
        var session = Assert.Single(world.Server.Sessions);
        world.Run(TimeSpan.FromSeconds(19));
        world.Network.Drop = (_, to) => to.Port == session.Port;
        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "8.8.8.8")); // the old keys' highest counter, withheld
        var withheld = world.Network.Wire[^1];
        world.Network.Drop = null;
        world.Run(TimeSpan.FromSeconds(3)); // rekeyed and confirmed
        Assert.NotEqual(session.SessionId, Assert.Single(world.Server.Sessions).SessionId);
        var delivered = world.ServerTun.Written.Count;

        RekeyTests.Deliver(world, withheld with { From = Elsewhere });

        Assert.Equal(delivered + 1, world.ServerTun.Written.Count); // opens in the grace period
        Assert.Equal(session.Endpoint, EndpointOf(world));
    }
}

using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Server;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Engines;

/// <summary>The server engine applies its options' reach policy and counts each refusal under its reason.</summary>
public sealed class ReachPolicyEngineTests
{
    private static EngineWorld World(bool clientToClient = true) => new(new VpnServerOptions
    {
        Clients = [new ClientEntry("pc1", Handshakes.Key(1)), new ClientEntry("pc2", Handshakes.Key(2))],
        HostAddresses = [IPv4Address.Parse("192.0.2.1"), IPv4Address.Parse("10.0.0.1")],
        Block = [IPv4Range.Parse("198.51.100.0/24")],
        Allow = [IPv4Range.Parse("198.51.100.9")],
        ClientToClient = clientToClient,
    });

    [Fact]
    public void Blocked_destinations_never_reach_the_server_tun_and_are_counted_by_reason()
    {
        using var world = World();
        world.Connect("pc1");

        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "192.0.2.1"));
        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "169.254.169.254"));
        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "198.51.100.8"));
        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "198.51.100.10"));
        var allowed = Packets.IPv4("10.0.0.2", "198.51.100.9");
        var toServer = Packets.IPv4("10.0.0.2", "10.0.0.1");
        world.SendFrom("pc1", allowed);
        world.SendFrom("pc1", toServer);

        Assert.Equal([allowed, toServer], world.ServerTun.Written);
        Assert.Equal(1, world.Server.Drops[DropReason.BlockedHostAddress]);
        Assert.Equal(3, world.Server.Drops[DropReason.BlockedRange]);
        Assert.Equal(4, world.Server.Drops.Total);
    }

    [Fact]
    public void Isolated_clients_cannot_send_to_each_other_but_still_reach_the_server_and_get_replies()
    {
        using var world = World(clientToClient: false);
        world.Connect("pc1");
        world.Connect("pc2");

        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "10.0.0.3"));
        world.SendFrom("pc2", Packets.IPv4("10.0.0.3", "10.0.0.2"));
        var toServer = Packets.IPv4("10.0.0.3", "10.0.0.1");
        world.SendFrom("pc2", toServer);
        var reply = Packets.IPv4("10.0.0.1", "10.0.0.2");
        world.ServerTun.Inject(reply);
        world.Server.OnTunReadable();
        world.Network.Pump();

        Assert.Equal(2, world.Server.Drops[DropReason.ClientIsolation]);
        Assert.Equal([toServer], world.ServerTun.Written);
        Assert.Equal([reply], world.Clients["pc1"].Tun.Written);
        Assert.Empty(world.Clients["pc2"].Tun.Written);
    }
}

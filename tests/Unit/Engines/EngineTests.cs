using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Engines;

public sealed class EngineTests
{
    [Fact]
    public void Clients_get_addresses_in_connection_order_and_ports_of_their_own()
    {
        using var world = new EngineWorld("pc1", "pc2");
        var pc1 = world.Connect("pc1");
        var pc2 = world.Connect("pc2");
        Assert.Equal("10.0.0.2", pc1.Grant!.ClientAddress.ToString());
        Assert.Equal("10.0.0.3", pc2.Grant!.ClientAddress.ToString());
        Assert.Equal("10.0.0.1", pc1.Grant.ServerAddress.ToString());
        Assert.NotEqual(pc1.Grant.Port, pc2.Grant.Port);
        Assert.Equal(2, world.Server.Sessions.Count);
    }

    [Fact]
    public void Packet_from_pc1_to_pc2_arrives_byte_equal_and_never_in_clear_on_the_wire()
    {
        using var world = new EngineWorld("pc1", "pc2");
        world.Connect("pc1");
        world.Connect("pc2");
        var packet = Packets.IPv4("10.0.0.2", "10.0.0.3");
        world.SendFrom("pc1", packet);
        Assert.Equal(packet, Assert.Single(world.Clients["pc2"].Tun.Written));
        Assert.Empty(world.ServerTun.Written);
        Assert.All(world.Network.Wire, d => Assert.Equal(-1, d.Bytes.AsSpan().IndexOf(Packets.Pattern)));
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("8.8.8.8")]
    public void Packets_for_the_server_or_outside_the_subnet_go_to_the_server_tun(string destination)
    {
        using var world = new EngineWorld("pc1");
        world.Connect("pc1");
        var packet = Packets.IPv4("10.0.0.2", destination);
        world.SendFrom("pc1", packet);
        Assert.Equal(packet, Assert.Single(world.ServerTun.Written));
    }

    [Fact]
    public void Reply_from_the_server_tun_reaches_the_client()
    {
        using var world = new EngineWorld("pc1");
        world.Connect("pc1");
        var reply = Packets.IPv4("8.8.8.8", "10.0.0.2");
        world.ServerTun.Inject(reply);
        world.Server.OnTunReadable();
        world.Network.Pump();
        Assert.Equal(reply, Assert.Single(world.Clients["pc1"].Tun.Written));
    }

    [Fact]
    public void Packet_with_another_clients_source_is_dropped_as_spoofed()
    {
        using var world = new EngineWorld("pc1", "pc2");
        world.Connect("pc1");
        world.Connect("pc2");
        world.SendFrom("pc1", Packets.IPv4("10.0.0.3", "8.8.8.8"));
        world.SendFrom("pc1", Packets.IPv4("10.0.0.1", "10.0.0.3"));
        Assert.Empty(world.ServerTun.Written);
        Assert.Empty(world.Clients["pc2"].Tun.Written);
        Assert.Equal(2, world.Server.Drops[DropReason.SpoofedSource]);
    }

    [Fact]
    public void Client_with_a_wrong_key_is_refused_and_the_others_keep_working()
    {
        using var world = new EngineWorld("pc1", "pc2");
        world.Connect("pc1");
        string? failure = null;
        var bad = world.Connect("pc2", keyFill: 99, beforeStart: c => c.AuthenticationFailed += m => failure = m);
        Assert.False(bad.IsConnected);
        Assert.Contains("refused client 'pc2'", failure);
        Assert.Equal(1, world.Server.HandshakeFailures[HandshakeError.WrongKey]);
        world.Run(TimeSpan.FromSeconds(60));
        Assert.Equal(1, world.Server.HandshakeFailures[HandshakeError.WrongKey]);
        var packet = Packets.IPv4("10.0.0.2", "8.8.8.8");
        world.SendFrom("pc1", packet);
        Assert.Equal(packet, Assert.Single(world.ServerTun.Written));
    }

    [Fact]
    public void Client_handshakes_again_after_the_server_restarts_and_traffic_resumes()
    {
        using var world = new EngineWorld("pc1");
        var pc1 = world.Connect("pc1");
        world.RestartServer();
        world.Run(TimeSpan.FromSeconds(60));
        Assert.Equal(2, pc1.Handshakes);
        Assert.True(pc1.IsConnected);
        Assert.Equal("10.0.0.2", pc1.Grant!.ClientAddress.ToString());
        var packet = Packets.IPv4("10.0.0.2", "8.8.8.8");
        world.SendFrom("pc1", packet);
        Assert.Equal(packet, Assert.Single(world.ServerTun.Written));
    }

    [Fact]
    public void Server_follows_a_client_whose_public_address_changed()
    {
        using var world = new EngineWorld("pc1");
        var pc1 = world.Connect("pc1");
        var socketEndpoint = pc1.LocalEndpoint;
        var moved = new NetEndpoint(IPv4Address.Parse("203.0.113.77"), 61000);
        // NAT rebinding: the same socket's datagrams now arrive from another address and port.
        world.Network.Socket(socketEndpoint).SourceOverride = moved;
        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "8.8.8.8"));
        Assert.Equal(moved, Assert.Single(world.Server.Sessions).Endpoint);
        Assert.Equal(1, pc1.Handshakes);
    }

    [Fact]
    public void Silent_session_expires_and_frees_its_address_and_port()
    {
        using var world = new EngineWorld("pc1", "pc2");
        var pc1 = world.Connect("pc1");
        var port = pc1.Grant!.Port;
        pc1.Dispose();
        world.Run(TimeSpan.FromSeconds(130));
        Assert.Empty(world.Server.Sessions);
        var pc2 = world.Connect("pc2");
        Assert.Equal("10.0.0.2", pc2.Grant!.ClientAddress.ToString());
        Assert.Equal(port, pc2.Grant.Port);
    }

    [Fact]
    public void Keepalives_keep_an_idle_session_alive()
    {
        using var world = new EngineWorld("pc1");
        var pc1 = world.Connect("pc1");
        var before = Assert.Single(world.Server.Sessions);
        world.Run(TimeSpan.FromMinutes(10));
        var after = Assert.Single(world.Server.Sessions);
        // the same session (address, port, endpoint), rekeyed every 2 minutes meanwhile
        Assert.Equal((before.Address, before.Port, before.Endpoint), (after.Address, after.Port, after.Endpoint));
        Assert.InRange(pc1.Handshakes, 5, 6);
        Assert.Equal(0, pc1.Drops.Total);
        Assert.Equal(0, world.Server.Drops.Total);
    }

    [Fact]
    public void Shared_key_serves_several_clients_of_any_name_at_once()
    {
        using var world = new EngineWorld(new Server.VpnServerOptions { SharedKey = Handshakes.Key(42) });
        var laptop = world.Connect("laptop", keyFill: 42);
        var desktop = world.Connect("desktop", keyFill: 42);
        var intruder = world.Connect("intruder", keyFill: 43);
        Assert.True(laptop.IsConnected);
        Assert.True(desktop.IsConnected);
        Assert.False(intruder.IsConnected);
        Assert.Equal(2, world.Server.Sessions.Count);
        var packet = Packets.IPv4("10.0.0.2", "10.0.0.3");
        world.SendFrom("laptop", packet);
        Assert.Equal(packet, Assert.Single(world.Clients["desktop"].Tun.Written));
    }
}

using MyVpn.Net;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Engines;

/// <summary>Packets read from tun in one batch leave in one Send per socket (one sendmmsg on Linux).</summary>
public sealed class SendBatchingTests
{
    [Fact]
    public void A_tun_batch_leaves_the_client_in_one_send_and_arrives_whole_and_in_order()
    {
        using var world = new EngineWorld("pc1");
        var pc1 = world.Connect("pc1", beforeStart: _ => world.Clients["pc1"].Tun.ReadsPerCall = 8);
        var socket = world.Network.Socket(pc1.LocalEndpoint);
        var packets = Enumerable.Range(1, 5).Select(i => Packets.IPv4("10.0.0.2", $"8.8.8.{i}")).ToArray();
        socket.SendBatches.Clear();

        foreach (var packet in packets)
            world.Clients["pc1"].Tun.Inject(packet);
        pc1.OnTunReadable();
        world.Network.Pump();

        Assert.Equal([5], socket.SendBatches);
        Assert.Equal(packets, world.ServerTun.Written);
    }

    [Fact]
    public void The_server_sends_a_tun_batch_once_per_client_port()
    {
        using var world = new EngineWorld("pc1", "pc2");
        var pc1 = world.Connect("pc1");
        var pc2 = world.Connect("pc2");
        world.ServerTun.ReadsPerCall = 8;
        var port1 = world.Network.Socket(new NetEndpoint(EngineWorld.ServerEndpoint.Address, pc1.Grant!.Port));
        var port2 = world.Network.Socket(new NetEndpoint(EngineWorld.ServerEndpoint.Address, pc2.Grant!.Port));
        port1.SendBatches.Clear();
        port2.SendBatches.Clear();
        byte[][] toPc1 = [Packets.IPv4("8.8.8.8", "10.0.0.2"), Packets.IPv4("8.8.4.4", "10.0.0.2"), Packets.IPv4("1.1.1.1", "10.0.0.2")];
        byte[][] toPc2 = [Packets.IPv4("8.8.8.8", "10.0.0.3"), Packets.IPv4("8.8.4.4", "10.0.0.3")];

        foreach (var packet in new[] { toPc1[0], toPc2[0], toPc1[1], toPc2[1], toPc1[2] })
            world.ServerTun.Inject(packet);
        world.Server.OnTunReadable();
        world.Network.Pump();

        Assert.Equal([3], port1.SendBatches);
        Assert.Equal([2], port2.SendBatches);
        Assert.Equal(toPc1, world.Clients["pc1"].Tun.Written);
        Assert.Equal(toPc2, world.Clients["pc2"].Tun.Written);
    }
}

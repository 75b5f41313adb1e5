using MyVpn.Net;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Engines;

/// <summary>
/// What the kernel answers inside a tun write (a ping of the server's own address, TCP ACKs for data
/// just delivered) goes out from the thread that wrote, when the tun direction is idle: nobody calls
/// OnTunReadable in these tests, yet the answer crosses the tunnel.
/// </summary>
public sealed class TunAnswerTests
{
    /// <summary>The packet with source and destination swapped and a mark in its payload.</summary>
    private static byte[] Reply(byte[] packet)
    {
        var reply = Packets.IPv4(IPv4Address.Read(packet.AsSpan(16)).ToString(), IPv4Address.Read(packet.AsSpan(12)).ToString(),
            [.. packet.AsSpan(20).ToArray(), 0xAA]);
        return reply;
    }

    [Fact]
    public void The_servers_answer_to_a_client_goes_back_without_a_tun_wake_up()
    {
        using var world = new EngineWorld("pc1");
        world.Connect("pc1");
        world.ServerTun.Answer = packet => IPv4Address.Read(packet.AsSpan(16)) == IPv4Address.Parse("10.0.0.1") ? Reply(packet) : null;

        var ping = Packets.IPv4("10.0.0.2", "10.0.0.1");
        world.SendFrom("pc1", ping);

        Assert.Equal(Reply(ping), Assert.Single(world.Clients["pc1"].Tun.Written));
        Assert.Equal(0, world.Server.Drops.Total);
    }

    [Fact]
    public void The_clients_answer_to_delivered_data_goes_back_without_a_tun_wake_up()
    {
        using var world = new EngineWorld("pc1");
        world.Connect("pc1");
        var client = world.Clients["pc1"];
        client.Tun.Answer = packet => Reply(packet);

        var data = Packets.IPv4("203.0.113.8", "10.0.0.2");
        world.ServerTun.Inject(data);
        world.Server.OnTunReadable();
        world.Network.Pump();

        Assert.Equal(data, Assert.Single(client.Tun.Written));
        Assert.Equal(Reply(data), Assert.Single(world.ServerTun.Written));
        Assert.Equal(0, client.Engine.Drops.Total);
    }

    [Fact]
    public void Nothing_is_read_twice_when_the_tun_thread_comes_afterwards()
    {
        using var world = new EngineWorld("pc1");
        world.Connect("pc1");
        world.ServerTun.Answer = packet => Reply(packet);
        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "10.0.0.1"));
        world.Server.OnTunReadable(); // the tun thread's late wake-up finds nothing left
        world.Network.Pump();
        Assert.Single(world.Clients["pc1"].Tun.Written);
    }
}

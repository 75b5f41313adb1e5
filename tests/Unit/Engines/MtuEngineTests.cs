using System.Buffers.Binary;
using MyVpn.Client;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Server;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Engines;

/// <summary>
/// The engines keep packets within each tunnel's MTU: SYNs crossing a tunnel have their MSS clamped in both
/// directions, and an oversize packet that may not be fragmented is dropped and answered with ICMP "fragmentation
/// needed" (rate-limited, counted), from the server for a client whose MTU is smaller, and from a client whose
/// own path is narrower than the grant.
/// </summary>
public sealed class MtuEngineTests
{
    /// <summary>pc1 on the default MTU (1420); pc2 behind a 1280-byte link, so 1220 inside the tunnel.</summary>
    private static EngineWorld World() => new(new VpnServerOptions
    {
        Clients = [new ClientEntry("pc1", Handshakes.Key(1)), new ClientEntry("pc2", Handshakes.Key(2), Mtu: 1220)],
    });

    /// <summary>A DF echo request of <paramref name="length"/> bytes.</summary>
    private static byte[] Ping(string source, string destination, int length, bool dontFragment = true)
    {
        var packet = Packets.IPv4(source, destination, new byte[length - 20]);
        packet[20] = 8;
        if (dontFragment)
            packet[6] = 0x40;
        return packet;
    }

    private static void FromServerTun(EngineWorld world, byte[] packet)
    {
        world.ServerTun.Inject(packet);
        world.Server.OnTunReadable();
        world.Network.Pump();
    }

    private static (int Type, int Code, int Mtu, string Source, string Destination) Icmp(byte[] answer) =>
        (answer[20], answer[21], BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(26)),
            IPv4Address.Read(answer.AsSpan(12)).ToString(), IPv4Address.Read(answer.AsSpan(16)).ToString());

    [Fact]
    public void The_grant_carries_a_clients_own_mtu_and_the_others_get_the_servers()
    {
        using var world = World();

        var pc1 = world.Connect("pc1");
        var pc2 = world.Connect("pc2");

        Assert.Equal(1420, pc1.Grant!.Mtu);
        Assert.Equal(1220, pc2.Grant!.Mtu);
    }

    [Fact]
    public void A_syn_ack_from_the_server_tun_is_clamped_to_the_receiving_clients_mtu()
    {
        using var world = World();
        world.Connect("pc1");
        world.Connect("pc2");
        var synAck = TcpSegments.Build(4, TcpSegments.Syn | TcpSegments.Ack, TcpSegments.MssOption(1460), source: "203.0.113.8");

        FromServerTun(world, synAck);

        var delivered = Assert.Single(world.Clients["pc2"].Tun.Written);
        Assert.Equal(1180, TcpSegments.Mss(delivered));
        Assert.True(TcpSegments.ChecksumValid(delivered));
    }

    [Fact]
    public void A_syn_from_a_client_is_clamped_to_the_smaller_of_both_clients_mtus()
    {
        using var world = World();
        world.Connect("pc1");
        world.Connect("pc2");
        var syn = TcpSegments.Build(4, TcpSegments.Syn, TcpSegments.MssOption(1460));

        world.SendFrom("pc1", syn);

        var delivered = Assert.Single(world.Clients["pc2"].Tun.Written);
        Assert.Equal(1180, TcpSegments.Mss(delivered));
        Assert.True(TcpSegments.ChecksumValid(delivered));
    }

    [Fact]
    public void A_df_packet_from_tun_too_big_for_its_client_is_answered_into_tun_with_that_clients_mtu()
    {
        using var world = World();
        world.Connect("pc2");

        FromServerTun(world, Ping("203.0.113.8", "10.0.0.2", 1400));

        Assert.Empty(world.Clients["pc2"].Tun.Written);
        var answer = Assert.Single(world.ServerTun.Written);
        Assert.Equal((3, 4, 1220, "10.0.0.2", "203.0.113.8"), Icmp(answer));
        Assert.Equal(1, world.Server.Drops[DropReason.PacketTooBig]);
    }

    [Fact]
    public void An_oversize_packet_without_df_is_carried_for_the_kernel_to_fragment_outside()
    {
        using var world = World();
        world.Connect("pc2");
        var packet = Ping("203.0.113.8", "10.0.0.2", 1400, dontFragment: false);

        FromServerTun(world, packet);

        Assert.Equal([packet], world.Clients["pc2"].Tun.Written);
        Assert.Empty(world.ServerTun.Written);
    }

    [Fact]
    public void A_df_packet_from_one_client_too_big_for_another_is_answered_back_through_the_senders_tunnel()
    {
        using var world = World();
        world.Connect("pc1");
        world.Connect("pc2");

        world.SendFrom("pc1", Ping("10.0.0.2", "10.0.0.3", 1400));

        Assert.Empty(world.Clients["pc2"].Tun.Written);
        var answer = Assert.Single(world.Clients["pc1"].Tun.Written);
        Assert.Equal((3, 4, 1220, "10.0.0.1", "10.0.0.2"), Icmp(answer));
        Assert.Equal(1, world.Server.Drops[DropReason.PacketTooBig]);
    }

    [Fact]
    public void Answers_are_rate_limited_on_the_engines_clock_and_the_rest_counted()
    {
        using var world = World();
        world.Connect("pc2");

        for (var i = 0; i < 30; i++)
            world.ServerTun.Inject(Ping("203.0.113.8", "10.0.0.2", 1400));
        world.Server.OnTunReadable();
        var first = world.ServerTun.Written.Count;
        world.Time.Advance(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 30; i++)
            world.ServerTun.Inject(Ping("203.0.113.8", "10.0.0.2", 1400));
        world.Server.OnTunReadable();

        Assert.Equal(20, first);
        Assert.Equal(40, world.ServerTun.Written.Count);
        Assert.Equal(40, world.Server.Drops[DropReason.PacketTooBig]);
        Assert.Equal(20, world.Server.Drops[DropReason.PacketTooBigUnanswered]);
    }

    [Fact]
    public void A_client_whose_path_allows_less_than_the_grant_uses_its_own_mtu_clamps_and_answers()
    {
        using var world = new EngineWorld("pc1");
        var tun = new ChannelTun();
        var host = world.Network.Host("192.0.2.10");
        var client = new VpnClient(new VpnClientOptions { Server = EngineWorld.ServerEndpoint, Name = "pc1", Key = Handshakes.Key(1), Mtu = 1220 },
            tun, host, host, world.Time, new TestRandom(7));
        world.Clients["pc1"] = (client, tun, host);
        client.Start();
        world.Network.Pump();
        var syn = TcpSegments.Build(4, TcpSegments.Syn, TcpSegments.MssOption(1460), destination: "203.0.113.8");

        world.SendFrom("pc1", syn);
        world.SendFrom("pc1", Ping("10.0.0.2", "203.0.113.8", 1400));

        Assert.Equal(1220, client.Grant!.Mtu);
        var sent = Assert.Single(world.ServerTun.Written);
        Assert.Equal(1180, TcpSegments.Mss(sent));
        var answer = Assert.Single(tun.Written);
        Assert.Equal((3, 4, 1220, "10.0.0.1", "10.0.0.2"), Icmp(answer));
        Assert.Equal(1, client.Drops[DropReason.PacketTooBig]);
    }
}

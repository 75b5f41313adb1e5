using MyVpn.Io;
using MyVpn.Net;
using MyVpn.Sim;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

public sealed class IpStackTests
{
    private static readonly IPv4Subnet Subnet = IPv4Subnet.Parse("10.0.0.0/24");
    private static readonly IPv4Address Own = IPv4Address.Parse("10.0.0.2");
    private static readonly IPv4Address Peer = IPv4Address.Parse("10.0.0.3");

    private static PacketBuffer Buffer(byte[] packet)
    {
        var buffer = new PacketBuffer(PacketBuffer.DefaultCapacity);
        buffer.Set(packet);
        return buffer;
    }

    private static List<byte[]> ReadAll(ITunDevice tun)
    {
        var packets = new List<byte[]>();
        var buffers = new[] { new PacketBuffer(PacketBuffer.DefaultCapacity) };
        while (tun.Read(buffers) > 0)
            packets.Add(buffers[0].Span.ToArray());
        return packets;
    }

    [Fact]
    public void Echo_request_written_to_the_tun_is_answered_back_into_the_tun()
    {
        var net = new TwoHosts();
        net.A.Stack.Configure(Own, Subnet);
        var readable = 0;
        net.A.Tun.Readable = () => readable++;
        var request = new IcmpEcho(Peer, Own, IsReply: false, 3, 4, [1, 2, 3, 4]);

        net.A.Tun.Write([Buffer(request.ToPacket())]);
        net.Clock.RunFor(TimeSpan.FromMilliseconds(1));

        Assert.Equal(1, readable);
        Assert.True(IcmpEcho.TryParse(Assert.Single(ReadAll(net.A.Tun)), out var reply));
        Assert.Equal(request.Reply(), reply with { Payload = request.Payload });
        Assert.Equal(request.Payload, reply.Payload);
        Assert.Equal(Peer, Assert.Single(net.A.Stack.Responder.Answered).Source);
    }

    [Fact]
    public void Plain_hosts_ping_each_other_over_the_wire()
    {
        var net = new TwoHosts();

        var ping = net.Network.StartPing(net.A, TwoHosts.AddressB)!;
        net.Clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.True(ping.Replied);
        Assert.Equal(TimeSpan.FromMilliseconds(10), ping.RoundTrip);
        Assert.Equal([TwoHosts.AddressA], net.B.Stack.Responder.SeenSources);
        Assert.False(net.Network.Violations.Any);
    }

    [Fact]
    public void A_full_tunnel_client_routes_its_pings_into_the_tun_once_configured()
    {
        var net = new TwoHosts();
        net.A.Stack.RouteAllViaVpn = true;

        Assert.Null(net.Network.StartPing(net.A, IPv4Address.Parse("8.8.8.8"))); // tunnel not up: no route
        net.A.Stack.Configure(Own, Subnet);
        var ping = net.Network.StartPing(net.A, IPv4Address.Parse("8.8.8.8"))!;

        Assert.Equal(Own, ping.Request.Source);
        Assert.Equal(ping.Request.ToPacket(), Assert.Single(ReadAll(net.A.Tun)));
    }

    [Fact]
    public void A_packet_the_engine_writes_for_another_address_is_a_violation()
    {
        var net = new TwoHosts();
        net.A.Stack.Configure(Own, Subnet);

        net.A.Tun.Write([Buffer(new IcmpEcho(Own, Peer, IsReply: false, 1, 1, [1]).ToPacket())]);

        Assert.Contains("tun received a packet for 10.0.0.3", net.Network.Violations.First);
    }

    [Fact]
    public void A_gateway_forwards_out_through_its_nat_and_maps_the_reply_back_into_its_tun()
    {
        var net = new TwoHosts();
        var gateway = net.A;
        gateway.Stack.Configure(IPv4Address.Parse("10.0.0.1"), Subnet);
        gateway.Stack.EnableForwarding();
        var fromClient = new IcmpEcho(Own, TwoHosts.AddressB, IsReply: false, 9, 1, [5, 6]);

        gateway.Tun.Write([Buffer(fromClient.ToPacket())]);
        net.Clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal([TwoHosts.AddressA], net.B.Stack.Responder.SeenSources);
        Assert.True(IcmpEcho.TryParse(Assert.Single(ReadAll(gateway.Tun)), out var reply));
        Assert.Equal(Own, reply.Target);
        Assert.Equal(9, reply.Id);
        Assert.True(reply.IsReply);
    }

    [Fact]
    public void Packets_wait_in_the_tun_until_an_engine_reads_them()
    {
        var net = new TwoHosts();
        net.A.Stack.RouteAllViaVpn = true;
        net.A.Stack.Configure(Own, Subnet);
        net.Network.StartPing(net.A, Peer);
        net.Clock.RunFor(TimeSpan.FromSeconds(1));
        var readable = 0;

        net.A.Tun.Readable = () => readable++;
        net.Clock.RunFor(TimeSpan.FromMilliseconds(1));

        Assert.Equal(1, readable);
        Assert.Single(ReadAll(net.A.Tun));
    }
}

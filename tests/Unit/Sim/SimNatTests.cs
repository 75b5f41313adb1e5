using MyVpn.Net;
using MyVpn.Sim;
using PacketDotNet;
using IPv4Packet = PacketDotNet.IPv4Packet;
using PacketDotNet.Utils;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

public sealed class SimNatTests
{
    private static readonly IPv4Address Public = IPv4Address.Parse("198.51.100.1");
    private static readonly IPv4Address Pc1 = IPv4Address.Parse("10.0.0.2");
    private static readonly IPv4Address Pc2 = IPv4Address.Parse("10.0.0.3");
    private static readonly IPv4Address Internet = IPv4Address.Parse("8.8.8.8");

    private static IcmpEcho Request(IPv4Address from, ushort id) => new(from, Internet, IsReply: false, id, 1, PingPayload.Create(1));

    private static IcmpEcho Parse(byte[] packet)
    {
        Assert.True(IcmpEcho.TryParse(packet, out var echo)); // checksums valid too
        return echo;
    }

    [Fact]
    public void Outbound_ping_leaves_from_the_public_address()
    {
        var nat = new SimNat(() => Public);

        var echo = Parse(nat.Outbound(Request(Pc1, 7).ToPacket())!);

        Assert.Equal(Public, echo.Source);
        Assert.Equal(Internet, echo.Target);
        Assert.Equal(PingPayload.Create(1), echo.Payload);
    }

    [Fact]
    public void Reply_is_mapped_back_to_the_inside_host_and_id()
    {
        var nat = new SimNat(() => Public);
        var outbound = Parse(nat.Outbound(Request(Pc1, 7).ToPacket())!);

        var inbound = Parse(nat.Inbound(outbound.Reply().ToPacket())!);

        Assert.Equal(Internet, inbound.Source);
        Assert.Equal(Pc1, inbound.Target);
        Assert.Equal(7, inbound.Id);
        Assert.True(inbound.IsReply);
    }

    [Fact]
    public void Two_inside_hosts_with_the_same_id_get_different_outside_ids()
    {
        var nat = new SimNat(() => Public);

        var first = Parse(nat.Outbound(Request(Pc1, 7).ToPacket())!);
        var second = Parse(nat.Outbound(Request(Pc2, 7).ToPacket())!);

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(Pc2, Parse(nat.Inbound(second.Reply().ToPacket())!).Target);
        Assert.Equal(Pc1, Parse(nat.Inbound(first.Reply().ToPacket())!).Target);
    }

    [Fact]
    public void A_reply_nobody_asked_for_is_not_let_in()
    {
        var nat = new SimNat(() => Public);

        Assert.Null(nat.Inbound(new IcmpEcho(Internet, Public, IsReply: true, 1234, 1, [1, 2]).ToPacket()));
    }

    [Fact]
    public void Udp_source_port_is_mapped_and_the_answer_comes_back()
    {
        var nat = new SimNat(() => Public);
        var udp = new UdpPacket(5353, 53) { PayloadData = [1, 2, 3] };
        var ip = new IPv4Packet(Pc1.ToIPAddress(), Internet.ToIPAddress()) { PayloadPacket = udp, TimeToLive = 64 };
        ip.UpdateCalculatedValues();
        udp.UpdateUdpChecksum();
        ip.UpdateIPChecksum();

        var outbound = new IPv4Packet(new ByteArraySegment(nat.Outbound(ip.Bytes)!));
        var outUdp = outbound.Extract<UdpPacket>();
        Assert.Equal(Public.ToIPAddress(), outbound.SourceAddress);
        Assert.True(outUdp.ValidUdpChecksum);

        var answer = new UdpPacket(53, outUdp.SourcePort) { PayloadData = [9] };
        var answerIp = new IPv4Packet(Internet.ToIPAddress(), Public.ToIPAddress()) { PayloadPacket = answer, TimeToLive = 64 };
        answerIp.UpdateCalculatedValues();
        answer.UpdateUdpChecksum();
        answerIp.UpdateIPChecksum();
        var inbound = new IPv4Packet(new ByteArraySegment(nat.Inbound(answerIp.Bytes)!));

        Assert.Equal(Pc1.ToIPAddress(), inbound.DestinationAddress);
        Assert.Equal(5353, inbound.Extract<UdpPacket>().DestinationPort);
        Assert.True(inbound.ValidIPChecksum);
    }

    [Fact]
    public void Traffic_it_cannot_translate_is_refused()
    {
        var nat = new SimNat(() => Public);

        Assert.Null(nat.Outbound([0x45, 0, 0, 5]));
        Assert.Null(nat.Outbound(new IcmpEcho(Pc1, Internet, IsReply: true, 1, 1, [1]).ToPacket())); // a reply going out
    }
}

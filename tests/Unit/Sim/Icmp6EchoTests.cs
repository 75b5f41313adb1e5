using MyVpn.Net;
using MyVpn.Sim;
using PacketDotNet;
using PacketDotNet.Utils;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>The simulator's ICMPv6 echo: a packet other tools read as valid, parsed back, and refused when altered.</summary>
public sealed class Icmp6EchoTests
{
    private static readonly Icmp6Echo Request =
        new(IPv6Address.Parse("fd00:5eed::2"), IPv6Address.Parse("2001:4860:4860::8888"), IsReply: false, 7, 9, PingPayload.Create(42));

    [Fact]
    public void Echo_request_is_a_valid_icmpv6_packet_for_packetdotnet_and_parses_back()
    {
        var bytes = Request.ToPacket();

        var ip = new IPv6Packet(new ByteArraySegment(bytes));
        var icmp = ip.Extract<IcmpV6Packet>();
        Assert.NotNull(icmp);
        Assert.True(icmp.ValidIcmpChecksum);
        Assert.Equal(IcmpV6Type.EchoRequest, icmp.Type);
        Assert.True(Icmp6Echo.TryParse(bytes, out var parsed));
        Assert.Equal(Request.Source, parsed.Source);
        Assert.Equal(Request.Target, parsed.Target);
        Assert.Equal((7, 9, false), (parsed.Id, parsed.Sequence, parsed.IsReply));
        Assert.Equal(Request.Payload, parsed.Payload);
    }

    [Fact]
    public void Reply_swaps_the_addresses_and_keeps_id_sequence_and_payload()
    {
        Assert.True(Icmp6Echo.TryParse(Request.Reply().ToPacket(), out var reply));
        Assert.True(reply.IsReply);
        Assert.Equal(Request.Target, reply.Source);
        Assert.Equal(Request.Source, reply.Target);
        Assert.Equal(Request.Payload, reply.Payload);
    }

    [Theory]
    [InlineData(8)] // a source address byte: the pseudo-header's checksum no longer matches
    [InlineData(45)] // the id
    [InlineData(60)] // the payload
    public void Altered_packet_is_refused(int offset)
    {
        var bytes = Request.ToPacket();
        bytes[offset] ^= 0x01;

        Assert.False(Icmp6Echo.TryParse(bytes, out _));
    }

    [Fact]
    public void Truncated_packet_is_refused()
    {
        Assert.False(Icmp6Echo.TryParse(Request.ToPacket()[..^1], out _));
    }
}

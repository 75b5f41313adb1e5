using System.Buffers.Binary;
using MyVpn.Net;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Net;

/// <summary>
/// <see cref="IcmpTooBig"/>: which oversize packets are answered, and the answers themselves (types, the MTU,
/// addresses, the quoted packet, valid checksums), built in place over the packet.
/// </summary>
public sealed class IcmpTooBigTests
{
    private static readonly IPv4Address Router = IPv4Address.Parse("10.0.0.1");

    [Fact]
    public void IPv4_answer_is_fragmentation_needed_from_the_router_to_the_source_with_the_mtu()
    {
        var original = TcpSegments.Build(4, TcpSegments.Ack, [], payload: 1360);
        var buffer = new byte[2048];
        original.CopyTo(buffer, 0);

        var length = IcmpTooBig.WriteIPv4(buffer, original.Length, Router, 1220);

        var answer = buffer[..length];
        Assert.Equal(576, length);
        Assert.Equal(0x45, answer[0]);
        Assert.Equal(length, BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(2)));
        Assert.Equal(1, answer[9]);
        Assert.Equal(0, TcpSegments.Checksum(answer.AsSpan(0, 20)));
        Assert.Equal("10.0.0.1", IPv4Address.Read(answer.AsSpan(12)).ToString());
        Assert.Equal("10.0.0.2", IPv4Address.Read(answer.AsSpan(16)).ToString());
        Assert.Equal((3, 4), (answer[20], answer[21]));
        Assert.Equal(1220, BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(26)));
        Assert.Equal(0, TcpSegments.Checksum(answer.AsSpan(20)));
        Assert.Equal(original[..548], answer[28..]);
    }

    [Fact]
    public void IPv6_answer_is_packet_too_big_from_the_destination_to_the_source_within_1280_bytes()
    {
        var original = TcpSegments.Build(6, TcpSegments.Ack, [], payload: 1400);
        var buffer = new byte[2048];
        original.CopyTo(buffer, 0);

        var length = IcmpTooBig.WriteIPv6(buffer, original.Length, 1280);

        var answer = buffer[..length];
        Assert.Equal(1280, length);
        Assert.Equal(0x60, answer[0]);
        Assert.Equal(length - 40, BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(4)));
        Assert.Equal(58, answer[6]);
        Assert.Equal(original[24..40], answer[8..24]);
        Assert.Equal(original[8..24], answer[24..40]);
        Assert.Equal((2, 0), (answer[40], answer[41]));
        Assert.Equal(1280u, BinaryPrimitives.ReadUInt32BigEndian(answer.AsSpan(44)));
        byte[] pseudo = [.. answer[8..40], 0, 0, (byte)((length - 40) >> 8), (byte)(length - 40), 0, 0, 0, 58, .. answer[40..]];
        Assert.Equal(0, TcpSegments.Checksum(pseudo));
        Assert.Equal(original[..1232], answer[48..]);
    }

    [Fact]
    public void A_short_packet_is_quoted_whole()
    {
        var original = TcpSegments.Build(4, TcpSegments.Syn, TcpSegments.MssOption(1460));
        var buffer = new byte[2048];
        original.CopyTo(buffer, 0);

        var length = IcmpTooBig.WriteIPv4(buffer, original.Length, Router, 576);

        Assert.Equal(28 + original.Length, length);
        Assert.Equal(original, buffer[28..length]);
        Assert.Equal(0, TcpSegments.Checksum(buffer.AsSpan(20, length - 20)));
    }

    [Fact]
    public void Only_ipv4_with_df_and_ipv6_may_not_be_fragmented()
    {
        var withDf = TcpSegments.Build(4, TcpSegments.Ack, [], payload: 10);
        var withoutDf = (byte[])withDf.Clone();
        withoutDf[6] = 0;

        Assert.True(IcmpTooBig.DontFragment(withDf));
        Assert.False(IcmpTooBig.DontFragment(withoutDf));
        Assert.True(IcmpTooBig.DontFragment(TcpSegments.Build(6, TcpSegments.Ack, [])));
        Assert.False(IcmpTooBig.DontFragment([0x45, 0, 0]));
        Assert.False(IcmpTooBig.DontFragment([]));
    }

    [Fact]
    public void Icmp_errors_are_never_answered_but_echo_requests_are()
    {
        var echo = Packets.IPv4("10.0.0.2", "10.0.0.3", [8, 0, 0, 0, 0, 0, 0, 0]);
        var unreachable = Packets.IPv4("10.0.0.2", "10.0.0.3", [3, 4, 0, 0, 0, 0, 0, 0]);
        var v6Echo = TcpSegments.Build(6, 0, []);
        v6Echo[6] = 58;
        v6Echo[40] = 128;
        var v6TooBig = (byte[])v6Echo.Clone();
        v6TooBig[40] = 2;

        Assert.True(IcmpTooBig.Answerable(echo));
        Assert.False(IcmpTooBig.Answerable(unreachable));
        Assert.True(IcmpTooBig.Answerable(v6Echo));
        Assert.False(IcmpTooBig.Answerable(v6TooBig));
        Assert.False(IcmpTooBig.Answerable(echo[..19]));
    }
}

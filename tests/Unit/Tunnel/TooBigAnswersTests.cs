using System.Buffers.Binary;
using Microsoft.Extensions.Time.Testing;
using MyVpn.Io;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using MyVpn.Tunnel;
using Xunit;

namespace MyVpn.Tests.Unit.Tunnel;

/// <summary>
/// <see cref="TooBigAnswers"/>: an oversize packet becomes its ICMP or ICMPv6 answer in place when the buffer
/// holds the answer, the packet is not itself an error and the rate limit allows; otherwise it is left as it was.
/// </summary>
public sealed class TooBigAnswersTests
{
    private static readonly IPv4Address Router = IPv4Address.Parse("10.8.0.1");

    [Fact]
    public void An_IPv4_packet_becomes_a_fragmentation_needed_from_the_router_to_its_source()
    {
        var answers = new TooBigAnswers(new FakeTimeProvider());
        var original = Packets.IPv4("10.8.0.2", "198.51.100.9", protocol: 17);
        var packet = Buffer(original, PacketBuffer.DefaultCapacity);

        Assert.Equal(DropReason.PacketTooBig, answers.Answer(packet, 1380, Router, 0));

        var answer = packet.Span;
        Assert.Equal(IcmpTooBig.AnswerLength(4, original.Length), packet.Length);
        Assert.Equal(28 + original.Length, packet.Length);
        Assert.Equal(1, answer[9]);
        Assert.Equal(Router, IPv4Address.Read(answer[12..]));
        Assert.Equal(IPv4Address.Parse("10.8.0.2"), IPv4Address.Read(answer[16..]));
        Assert.Equal([3, 4], answer[20..22].ToArray());
        Assert.Equal(1380, BinaryPrimitives.ReadUInt16BigEndian(answer[26..]));
        Assert.Equal(original, answer[28..].ToArray());
    }

    [Fact]
    public void An_IPv6_packet_becomes_a_packet_too_big_to_its_source()
    {
        var answers = new TooBigAnswers(new FakeTimeProvider());
        var original = Packets.IPv6("fd00::2", "2001:db8::9", nextHeader: 17);
        var packet = Buffer(original, PacketBuffer.DefaultCapacity);

        Assert.Equal(DropReason.PacketTooBig, answers.Answer(packet, 1360, Router, 0));

        var answer = packet.Span;
        Assert.Equal(48 + original.Length, packet.Length);
        Assert.Equal(0x60, answer[0] & 0xF0);
        Assert.Equal(58, answer[6]);
        Assert.Equal(original.AsSpan(8, 16).ToArray(), answer[24..40].ToArray());
        Assert.Equal(2, answer[40]);
        Assert.Equal(1360u, BinaryPrimitives.ReadUInt32BigEndian(answer[44..]));
        Assert.Equal(original, answer[48..].ToArray());
    }

    [Fact]
    public void A_buffer_with_room_for_exactly_the_answer_is_answered_and_one_byte_less_is_not()
    {
        var original = Packets.IPv4("10.8.0.2", "198.51.100.9", protocol: 17);
        var needed = PacketBuffer.DefaultHeadroom + 28 + original.Length;
        var roomy = Buffer(original, needed);
        var tight = Buffer(original, needed - 1);

        Assert.Equal(DropReason.PacketTooBig, new TooBigAnswers(new FakeTimeProvider()).Answer(roomy, 1380, Router, 0));
        Assert.Equal(DropReason.PacketTooBigUnanswered, new TooBigAnswers(new FakeTimeProvider()).Answer(tight, 1380, Router, 0));
        Assert.Equal(original, tight.Span.ToArray());
    }

    [Fact]
    public void An_ICMP_error_is_never_answered_and_costs_no_token()
    {
        var time = new FakeTimeProvider();
        var answers = new TooBigAnswers(time);
        var error = Packets.IPv4("10.8.0.2", "198.51.100.9", payload: [3, 4, 0, 0, 0, 0, 5, 0x78], protocol: 1);

        for (var i = 0; i < 2 * TooBigAnswers.PerSecond; i++)
        {
            var packet = Buffer(error, PacketBuffer.DefaultCapacity);
            Assert.Equal(DropReason.PacketTooBigUnanswered, answers.Answer(packet, 1380, Router, time.GetTimestamp()));
            Assert.Equal(error, packet.Span.ToArray());
        }
        var answered = Enumerable.Range(0, TooBigAnswers.PerSecond)
            .Count(_ => answers.Answer(Buffer(Packets.IPv4("10.8.0.2", "198.51.100.9", protocol: 17), PacketBuffer.DefaultCapacity),
                1380, Router, time.GetTimestamp()) == DropReason.PacketTooBig);
        Assert.Equal(TooBigAnswers.PerSecond, answered);
    }

    [Fact]
    public void Answers_are_limited_to_a_burst_then_refilled_at_the_rate()
    {
        var time = new FakeTimeProvider();
        var answers = new TooBigAnswers(time);
        var original = Packets.IPv4("10.8.0.2", "198.51.100.9", protocol: 17);
        DropReason Next() => answers.Answer(Buffer(original, PacketBuffer.DefaultCapacity), 1380, Router, time.GetTimestamp());

        var burst = Enumerable.Range(0, 30).Count(_ => Next() == DropReason.PacketTooBig);
        var refused = Buffer(original, PacketBuffer.DefaultCapacity);
        var refusedReason = answers.Answer(refused, 1380, Router, time.GetTimestamp());
        time.Advance(TimeSpan.FromSeconds(1.0 / TooBigAnswers.PerSecond));
        var afterOneInterval = Enumerable.Range(0, 5).Count(_ => Next() == DropReason.PacketTooBig);

        Assert.Equal(TooBigAnswers.PerSecond, burst);
        Assert.Equal(DropReason.PacketTooBigUnanswered, refusedReason);
        Assert.Equal(original, refused.Span.ToArray());
        Assert.Equal(1, afterOneInterval);
    }

    private static PacketBuffer Buffer(byte[] packet, int capacity)
    {
        var buffer = new PacketBuffer(capacity);
        buffer.Set(packet);
        return buffer;
    }
}

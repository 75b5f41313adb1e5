using System.Buffers.Binary;
using MyVpn.Linux.Offload;
using PacketDotNet;
using PacketDotNet.Utils;
using Xunit;

namespace MyVpn.Tests.Unit.Linux.Offload;

public sealed class TcpSegmenterTests
{
    private const int Mss = 1368; // MTU 1420 less 20 (IP) and 32 (TCP with timestamps)

    /// <summary>A super-segment as the kernel hands it over: one header, up to 64 KB of payload, a partial checksum.</summary>
    private static (byte[] Bytes, TcpPacket Spec) SuperSegment(int payloadLength, byte flags = TcpPacket.Ack | TcpPacket.Psh)
    {
        var spec = new TcpPacket { Payload = TcpPacket.PayloadOf(payloadLength), Flags = flags, Id = 0xFFF0, Seq = 0xFFFF_F000 };
        var bytes = spec.Build();
        // the kernel leaves the pseudo-header sum in the checksum field (CHECKSUM_PARTIAL); the segmenter must not trust it
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(spec.IpHeaderLength + 16), 0xBEEF);
        return (bytes, spec);
    }

    private static List<byte[]> SplitAll(byte[] superSegment, int segmentSize, int offset = 0)
    {
        var source = new byte[offset + superSegment.Length];
        superSegment.CopyTo(source, offset);
        var segmenter = new TcpSegmenter();
        Assert.True(segmenter.Start(source, offset, superSegment.Length, segmentSize));
        var segments = new List<byte[]>();
        var destination = new byte[2048];
        while (segmenter.TryWriteNext(destination, out var length))
            segments.Add(destination[..length]);
        Assert.False(segmenter.HasMore);
        return segments;
    }

    [Fact]
    public void A_64_KB_super_segment_splits_into_MSS_packets_that_carry_the_payload_with_correct_headers()
    {
        var payloadLength = 65535 - 20 - 32;
        var (bytes, spec) = SuperSegment(payloadLength, TcpPacket.Ack | TcpPacket.Psh | TcpPacket.Fin | TcpPacket.Cwr);

        var segments = SplitAll(bytes, Mss, offset: 10);

        Assert.Equal((payloadLength + Mss - 1) / Mss, segments.Count);
        var payload = new List<byte>();
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            var last = i == segments.Count - 1;
            var expectedPayload = last ? payloadLength - i * Mss : Mss;
            Assert.Equal(spec.HeaderLength + expectedPayload, segment.Length);
            Assert.Equal(segment.Length, BinaryPrimitives.ReadUInt16BigEndian(segment.AsSpan(2)));
            Assert.Equal((ushort)(spec.Id + i), BinaryPrimitives.ReadUInt16BigEndian(segment.AsSpan(4)));
            Assert.Equal(unchecked(spec.Seq + (uint)(i * Mss)), BinaryPrimitives.ReadUInt32BigEndian(segment.AsSpan(24)));
            Assert.Equal(spec.AckNumber, BinaryPrimitives.ReadUInt32BigEndian(segment.AsSpan(28)));
            var flags = segment[33];
            Assert.Equal(last, (flags & TcpPacket.Fin) != 0);
            Assert.Equal(last, (flags & TcpPacket.Psh) != 0);
            Assert.Equal(i == 0, (flags & TcpPacket.Cwr) != 0);
            Assert.True((flags & TcpPacket.Ack) != 0);
            Assert.Equal(spec.TcpOptions, segment[40..52]);
            Assert.True(Reference.IpChecksumValid(segment), $"IP checksum of segment {i}");
            Assert.True(Reference.TcpChecksumValid(segment), $"TCP checksum of segment {i}");
            var parsed = new IPv4Packet(new ByteArraySegment(segment));
            Assert.True(parsed.ValidIPChecksum);
            Assert.True(parsed.Extract<PacketDotNet.TcpPacket>().ValidTcpChecksum);
            payload.AddRange(segment[spec.HeaderLength..]);
        }
        Assert.Equal(spec.Payload, payload);
    }

    [Fact]
    public void Segments_equal_packets_built_directly_with_those_fields()
    {
        var (bytes, spec) = SuperSegment(3 * Mss + 5);

        var segments = SplitAll(bytes, Mss);

        for (var i = 0; i < 4; i++)
        {
            var expected = spec with
            {
                Id = (ushort)(spec.Id + i),
                Seq = spec.Seq + (uint)(i * Mss),
                Flags = i == 3 ? spec.Flags : TcpPacket.Ack,
                Payload = spec.Payload[(i * Mss)..Math.Min((i + 1) * Mss, spec.Payload.Length)],
            };
            Assert.Equal(expected.Build(), segments[i]);
        }
    }

    [Fact]
    public void Segments_that_do_not_fit_the_batch_wait_for_the_next_buffers()
    {
        var (bytes, _) = SuperSegment(10 * Mss);
        var segmenter = new TcpSegmenter();
        Assert.True(segmenter.Start(bytes, 0, bytes.Length, Mss));
        var destination = new byte[2048];

        for (var i = 0; i < 3; i++)
            Assert.True(segmenter.TryWriteNext(destination, out _));

        Assert.Equal(7, segmenter.Remaining);
        Assert.False(segmenter.TryWriteNext(new byte[100], out _)); // too small: nothing taken
        Assert.Equal(7, segmenter.Remaining);
        Assert.Equal(SplitAll(bytes, Mss)[3], destination[..(segmenter.TryWriteNext(destination, out var length) ? length : 0)]);
    }

    [Fact]
    public void A_super_segment_smaller_than_one_MSS_is_one_packet_with_a_fresh_checksum()
    {
        var (bytes, spec) = SuperSegment(100);

        var segments = SplitAll(bytes, Mss);

        Assert.Equal(spec.Build(), Assert.Single(segments));
    }

    [Theory]
    [InlineData("udp")]
    [InlineData("fragment")]
    [InlineData("no payload")]
    [InlineData("ipv6")]
    [InlineData("zero mss")]
    public void What_is_not_a_TCP_IPv4_super_segment_is_refused(string what)
    {
        var bytes = new TcpPacket { Payload = TcpPacket.PayloadOf(what == "no payload" ? 0 : 3000) }.Build();
        switch (what)
        {
            case "udp": bytes[9] = 17; break;
            case "fragment": bytes[6] |= 0x20; break;
            case "ipv6": bytes[0] = 0x65; break;
        }

        Assert.False(new TcpSegmenter().Start(bytes, 0, bytes.Length, what == "zero mss" ? 0 : Mss));
    }
}

using System.Buffers.Binary;
using MyVpn.Io;
using MyVpn.Linux.Offload;
using Xunit;

namespace MyVpn.Tests.Unit.Linux.Offload;

public sealed class TcpCoalescerTests
{
    private const int Mss = 1368;

    private static readonly TcpPacket First = new() { Seq = 0xFFFF_FF00, Id = 0xFFFE };

    /// <summary>Consecutive segments of one flow with these payload sizes (ids and sequence numbers in order).</summary>
    private static TcpPacket[] Flow(params int[] sizes)
    {
        var packets = new TcpPacket[sizes.Length];
        var seq = First.Seq;
        for (var i = 0; i < sizes.Length; i++)
        {
            packets[i] = First with { Seq = seq, Id = (ushort)(First.Id + i), Payload = TcpPacket.PayloadOf(sizes[i], seed: i) };
            seq += (uint)sizes[i];
        }
        return packets;
    }

    private static PacketBuffer[] Buffers(IEnumerable<byte[]> packets) => packets.Select(bytes =>
    {
        var buffer = new PacketBuffer(2048);
        buffer.Set(bytes);
        return buffer;
    }).ToArray();

    private static PacketBuffer[] Buffers(IEnumerable<TcpPacket> packets) => Buffers(packets.Select(p => p.Build()));

    private static int[] Runs(PacketBuffer[] buffers)
    {
        var runs = new List<int>();
        for (var i = 0; i < buffers.Length; i += runs[^1])
            runs.Add(TcpCoalescer.RunLength(buffers, i));
        return runs.ToArray();
    }

    [Fact]
    public void Segments_of_one_flow_in_sequence_merge_into_one_header_with_a_partial_checksum()
    {
        var flow = Flow(Mss, Mss, Mss, Mss, 700);
        flow[4] = flow[4] with { Flags = TcpPacket.Ack | TcpPacket.Psh };
        var buffers = Buffers(flow);

        Assert.Equal(5, TcpCoalescer.RunLength(buffers, 0));

        var header = new byte[TcpCoalescer.MaxHeaderBytes];
        var written = TcpCoalescer.WriteHeader(buffers, header);
        Assert.Equal(10 + 52, written);
        var virtio = VirtioNetHeader.Read(header);
        Assert.Equal((VirtioNetHeader.FlagNeedsChecksum, VirtioNetHeader.GsoTcpV4), (virtio.Flags, virtio.GsoType));
        Assert.Equal((52, Mss, 20, 16), (virtio.HeaderLength, virtio.GsoSize, virtio.CsumStart, virtio.CsumOffset));
        var ip = header.AsSpan(10, 52);
        var total = 52 + 4 * Mss + 700;
        Assert.Equal(total, BinaryPrimitives.ReadUInt16BigEndian(ip[2..]));
        Assert.Equal(First.Id, BinaryPrimitives.ReadUInt16BigEndian(ip[4..]));
        Assert.True(Reference.IpChecksumValid(ip));
        Assert.Equal(First.Seq, BinaryPrimitives.ReadUInt32BigEndian(ip[24..]));
        Assert.Equal(TcpPacket.Ack | TcpPacket.Psh, ip[33]);
        var pseudo = Reference.Fold(Reference.Add(ip.Slice(12, 8), 6u + (uint)(total - 20)));
        Assert.Equal(pseudo, BinaryPrimitives.ReadUInt16BigEndian(ip[36..]));
        Assert.Equal(First.TcpOptions, ip[40..52].ToArray());
    }

    [Fact]
    public void The_merged_packet_segments_back_into_exactly_the_original_packets()
    {
        var flow = Flow(Mss, Mss, Mss, 11);
        var originals = flow.Select(p => p.Build()).ToArray();
        var buffers = Buffers(originals);
        var header = new byte[TcpCoalescer.MaxHeaderBytes];
        var headerBytes = TcpCoalescer.WriteHeader(buffers, header);

        // what the kernel receives from writev: the header, then every payload
        var merged = header[..headerBytes].Concat(originals.SelectMany(p => p[52..])).ToArray();
        var virtio = VirtioNetHeader.Read(merged);
        var segmenter = new TcpSegmenter();
        Assert.True(segmenter.Start(merged, 10, merged.Length - 10, virtio.GsoSize));
        var destination = new byte[2048];
        var again = new List<byte[]>();
        while (segmenter.TryWriteNext(destination, out var length))
            again.Add(destination[..length]);

        Assert.Equal(originals, again);
    }

    [Theory]
    [InlineData("other source port")]
    [InlineData("other destination address")]
    [InlineData("gap in sequence")]
    [InlineData("repeated sequence")]
    [InlineData("SYN")]
    [InlineData("FIN")]
    [InlineData("RST")]
    [InlineData("URG")]
    [InlineData("CWR")]
    [InlineData("other ACK number")]
    [InlineData("other options")]
    [InlineData("no options")]
    [InlineData("other TTL")]
    [InlineData("other TOS")]
    [InlineData("DF cleared")]
    [InlineData("IP ID not consecutive")]
    [InlineData("IP options")]
    [InlineData("longer than the first")]
    [InlineData("bad TCP checksum")]
    [InlineData("bad IP checksum")]
    [InlineData("no payload")]
    [InlineData("UDP")]
    public void A_segment_that_differs_ends_the_run_before_it(string difference)
    {
        var flow = Flow(Mss, Mss, Mss, Mss);
        var third = flow[2];
        byte[]? raw = null;
        switch (difference)
        {
            case "other source port": third = third with { SourcePort = 40002 }; break;
            case "other destination address": third = third with { Destination = [10, 0, 0, 4] }; break;
            case "gap in sequence": third = third with { Seq = third.Seq + 1 }; break;
            case "repeated sequence": third = third with { Seq = flow[1].Seq }; break;
            case "SYN": third = third with { Flags = TcpPacket.Ack | TcpPacket.Syn }; break;
            case "FIN": third = third with { Flags = TcpPacket.Ack | TcpPacket.Fin }; break;
            case "RST": third = third with { Flags = TcpPacket.Ack | TcpPacket.Rst }; break;
            case "URG": third = third with { Flags = TcpPacket.Ack | TcpPacket.Urg }; break;
            case "CWR": third = third with { Flags = TcpPacket.Ack | TcpPacket.Cwr }; break;
            case "other ACK number": third = third with { AckNumber = third.AckNumber + 1 }; break;
            case "other options": third = third with { TcpOptions = [1, 1, 8, 10, 0, 0, 0, 2, 0, 0, 0, 2] }; break;
            case "no options": third = third with { TcpOptions = [], Payload = TcpPacket.PayloadOf(Mss + 12) }; break;
            case "other TTL": third = third with { Ttl = 63 }; break;
            case "other TOS": third = third with { Tos = 2 }; break;
            case "DF cleared": third = third with { DontFragment = false }; break;
            case "IP ID not consecutive": third = third with { Id = (ushort)(third.Id + 1) }; break;
            case "IP options": third = third with { IpOptions = [1, 1, 1, 0] }; break;
            case "longer than the first": third = third with { Payload = TcpPacket.PayloadOf(Mss + 1) }; break;
            case "no payload": third = third with { Payload = [] }; break;
            case "bad TCP checksum":
                raw = third.Build();
                raw[^1] ^= 0x01;
                break;
            case "bad IP checksum":
                raw = third.Build();
                raw[10] ^= 0x01;
                break;
            case "UDP":
                raw = third.Build();
                raw[9] = 17;
                break;
        }
        var packets = flow.Select(p => p.Build()).ToArray();
        packets[2] = raw ?? third.Build();

        Assert.Equal(2, TcpCoalescer.RunLength(Buffers(packets), 0));
    }

    [Fact]
    public void A_shorter_segment_ends_the_run_and_an_odd_length_middle_segment_does_not_merge_with_what_follows()
    {
        Assert.Equal([3, 1], Runs(Buffers(Flow(Mss, Mss, 501, Mss))));
        Assert.Equal([2, 2], Runs(Buffers(Flow(1000, 999, 1000, 1000))));
    }

    [Fact]
    public void Odd_segment_sizes_merge_and_split_back_unchanged()
    {
        var originals = Flow(1001, 1001, 1001, 3).Select(p => p.Build()).ToArray();
        var buffers = Buffers(originals);

        Assert.Equal(4, TcpCoalescer.RunLength(buffers, 0));
        var header = new byte[TcpCoalescer.MaxHeaderBytes];
        var headerBytes = TcpCoalescer.WriteHeader(buffers, header);
        var merged = header[..headerBytes].Concat(originals.SelectMany(p => p[52..])).ToArray();
        var segmenter = new TcpSegmenter();
        Assert.True(segmenter.Start(merged, 10, merged.Length - 10, 1001));
        var destination = new byte[2048];
        foreach (var original in originals)
        {
            Assert.True(segmenter.TryWriteNext(destination, out var length));
            Assert.Equal(original, destination[..length]);
        }
    }

    [Fact]
    public void PSH_ends_the_run_with_its_segment_and_a_first_segment_with_PSH_goes_alone()
    {
        var flow = Flow(Mss, Mss, Mss, Mss);
        flow[1] = flow[1] with { Flags = TcpPacket.Ack | TcpPacket.Psh };
        Assert.Equal([2, 2], Runs(Buffers(flow)));

        flow[0] = flow[0] with { Flags = TcpPacket.Ack | TcpPacket.Psh };
        Assert.Equal(1, TcpCoalescer.RunLength(Buffers(flow), 0));
    }

    [Fact]
    public void Packets_with_IP_options_or_without_payload_go_alone()
    {
        Assert.Equal([1, 1], Runs(Buffers(Flow(Mss, Mss).Select(p => p with { IpOptions = [1, 1, 1, 0] }))));
        Assert.Equal([1, 1], Runs(Buffers(Flow(0, 0))));
    }

    [Fact]
    public void A_run_stops_at_64_segments_and_at_64_KB()
    {
        Assert.Equal([64, 6], Runs(Buffers(Flow(Enumerable.Repeat(100, 70).ToArray()))));
        // 52 + 46 * 1400 = 64452 fits; a 47th segment would pass 65535
        Assert.Equal([46, 4], Runs(Buffers(Flow(Enumerable.Repeat(1400, 50).ToArray()))));
    }
}

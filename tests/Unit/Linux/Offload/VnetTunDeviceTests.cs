using System.Buffers.Binary;
using MyVpn.Io;
using MyVpn.Linux;
using MyVpn.Linux.Offload;
using MyVpn.Tests.Unit.Support;
using Xunit;
using static MyVpn.Tests.Unit.Support.SeqPacketPair;

namespace MyVpn.Tests.Unit.Linux.Offload;

/// <summary>
/// <see cref="LinuxTunDevice"/> with the virtio header, over a SOCK_SEQPACKET socket pair that stands in
/// for /dev/net/tun (one message per read or write, EAGAIN when empty): what the kernel would hand over
/// is written to the other end, and what the device writes is read back from it.
/// </summary>
public sealed class VnetTunDeviceTests : IDisposable
{
    private const int Mss = 1368;
    private readonly LinuxTunDevice _device;
    private readonly int _kernel;

    public VnetTunDeviceTests()
    {
        var (device, kernel) = SeqPacketPair.Open();
        _device = LinuxTunDevice.Attach(new TunHandle(device), "fake0", vnetHeader: true, segmentation: true);
        _kernel = kernel;
    }

    public void Dispose()
    {
        _device.Dispose();
        Close(_kernel);
    }

    private void KernelSends(VirtioNetHeader header, byte[] packet)
    {
        var message = new byte[VirtioNetHeader.Size + packet.Length];
        header.Write(message);
        packet.CopyTo(message, VirtioNetHeader.Size);
        Assert.Equal(message.Length, (int)Send(_kernel, message, message.Length, 0));
    }

    private byte[]? KernelReceives()
    {
        var buffer = new byte[70_000];
        var n = (int)Recv(_kernel, buffer, buffer.Length, MSG_DONTWAIT);
        return n < 0 ? null : buffer[..n];
    }

    private static PacketBuffer[] Batch(int size) => Enumerable.Range(0, size).Select(_ => new PacketBuffer(2048)).ToArray();

    private int Read(PacketBuffer[] batch)
    {
        foreach (var buffer in batch)
            buffer.Reset();
        return _device.Read(batch);
    }

    private static readonly VirtioNetHeader Gso = new()
    {
        Flags = VirtioNetHeader.FlagNeedsChecksum, GsoType = VirtioNetHeader.GsoTcpV4, HeaderLength = 52,
        GsoSize = Mss, CsumStart = 20, CsumOffset = 16,
    };

    [Fact]
    public void A_super_segment_is_handed_out_over_several_reads_then_the_next_packet_then_0_without_a_read()
    {
        var spec = new TcpPacket { Payload = TcpPacket.PayloadOf(65535 - 52), Flags = TcpPacket.Ack | TcpPacket.Psh };
        KernelSends(Gso, spec.Build());
        var ping = new TcpPacket { Payload = TcpPacket.PayloadOf(10), SourcePort = 1 }.Build();
        KernelSends(default, ping);
        var batch = Batch(16);
        var payload = new List<byte>();
        var segments = 0;

        int n;
        var reads = new List<int>();
        while ((n = Read(batch)) > 0)
        {
            reads.Add(n);
            for (var i = 0; i < n; i++)
            {
                var packet = batch[i].Span;
                if (BinaryPrimitives.ReadUInt16BigEndian(packet[20..]) == 1)
                {
                    Assert.Equal(ping, packet.ToArray());
                    continue;
                }
                Assert.True(Reference.IpChecksumValid(packet) && Reference.TcpChecksumValid(packet));
                payload.AddRange(packet[52..].ToArray());
                segments++;
            }
            if (reads.Count == 4)
                KernelSends(default, ping); // arrives after the read that found the queue empty
        }

        Assert.Equal([16, 16, 16, 1], reads); // 48 segments, then the ping; the read that hit EAGAIN said so
        Assert.Equal(48, segments);
        Assert.Equal(spec.Payload, payload);
        // the call after a drained read answered 0 without reading: the second ping is still queued
        Assert.Equal(1, Read(batch));
        Assert.Equal(ping, batch[0].Span.ToArray());
        Assert.Equal(1, _device.SuperSegmentsRead);
        Assert.Equal(0, _device.Dropped);
    }

    [Fact]
    public void On_a_quiet_device_a_lone_packet_is_handed_out_before_the_read_that_finds_the_queue_empty_and_a_burst_is_batched()
    {
        var batch = Batch(16);
        byte[] Packet(ushort port) => new TcpPacket { Payload = TcpPacket.PayloadOf(10), SourcePort = port }.Build();
        ushort PortOf(PacketBuffer packet) => BinaryPrimitives.ReadUInt16BigEndian(packet.Span[20..]);

        KernelSends(default, Packet(1));
        Assert.Equal(1, Read(batch)); // handed out at once: no second read before it is sent
        KernelSends(default, Packet(2)); // so this one is not behind a "queue was empty" answer
        Assert.Equal(1, Read(batch));
        Assert.Equal(2, PortOf(batch[0]));
        Assert.Equal(0, Read(batch)); // that read went on to EAGAIN: drained, no system call now
        Assert.Equal(0, Read(batch)); // the read that finds the queue empty again

        for (ushort port = 10; port < 15; port++)
            KernelSends(default, Packet(port));
        Assert.Equal(1, Read(batch)); // the first of a burst looks lone
        Assert.Equal(4, Read(batch)); // the next was already waiting: the rest come as one batch
        Assert.Equal([11, 12, 13, 14], batch[..4].Select(PortOf));
        Assert.Equal(0, Read(batch));

        KernelSends(default, Packet(20)); // after a batch of 4 the device is not "quiet": read on to EAGAIN
        Assert.Equal(1, Read(batch));
        KernelSends(default, Packet(21));
        Assert.Equal(0, Read(batch)); // the drained answer, without a read
        Assert.Equal(1, Read(batch)); // quiet again: lone packets go out at once
        Assert.Equal(21, PortOf(batch[0]));
        Assert.Equal(0, _device.Dropped);
    }

    [Fact]
    public void A_plain_packet_with_NEEDS_CSUM_is_read_in_place_with_its_checksum_completed()
    {
        var packet = new TcpPacket { Payload = TcpPacket.PayloadOf(1001) }.Build();
        var expected = packet.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(36), Reference.Fold(Reference.PseudoHeader(packet, 6)));
        KernelSends(new VirtioNetHeader { Flags = VirtioNetHeader.FlagNeedsChecksum, CsumStart = 20, CsumOffset = 16 }, packet);
        var batch = Batch(4);

        Assert.Equal(1, Read(batch));

        Assert.Equal(PacketBuffer.DefaultHeadroom, batch[0].Offset);
        Assert.Equal(expected, batch[0].Span.ToArray());
    }

    [Fact]
    public void Super_segments_of_a_type_not_asked_for_are_dropped_and_counted()
    {
        KernelSends(Gso with { GsoType = VirtioNetHeader.GsoTcpV6 }, new TcpPacket { Payload = TcpPacket.PayloadOf(3000) }.Build());
        KernelSends(Gso with { GsoType = VirtioNetHeader.GsoUdpL4 }, new TcpPacket { Payload = TcpPacket.PayloadOf(3000) }.Build());
        var udp = new TcpPacket { Payload = TcpPacket.PayloadOf(3000) }.Build();
        udp[9] = 17; // a TCPV4 super-segment that is not TCP
        KernelSends(Gso, udp);

        Assert.Equal(0, Read(Batch(4)));
        Assert.Equal(3, _device.Dropped);
    }

    [Fact]
    public void A_flow_run_goes_out_as_one_GSO_write_and_other_packets_alone_behind_a_zero_header()
    {
        var originals = Enumerable.Range(0, 5).Select(i => new TcpPacket
        {
            Seq = 1000 + (uint)(i * Mss), Id = (ushort)(7 + i), Payload = TcpPacket.PayloadOf(Mss, seed: i),
        }.Build()).ToList();
        var other = new TcpPacket { Payload = TcpPacket.PayloadOf(20), Flags = TcpPacket.Ack | TcpPacket.Syn }.Build();
        var batch = originals.Append(other).Select(bytes =>
        {
            var buffer = new PacketBuffer(2048);
            buffer.Set(bytes);
            return buffer;
        }).ToArray();
        var before = batch.Select(b => b.Data.ToArray()).ToList();

        _device.Write(batch);

        var merged = KernelReceives()!;
        var header = VirtioNetHeader.Read(merged);
        Assert.Equal((VirtioNetHeader.GsoTcpV4, (ushort)Mss), (header.GsoType, header.GsoSize));
        Assert.Equal(10 + 52 + 5 * Mss, merged.Length);
        var segmenter = new TcpSegmenter();
        Assert.True(segmenter.Start(merged, 10, merged.Length - 10, header.GsoSize));
        var destination = new byte[2048];
        foreach (var original in originals)
        {
            Assert.True(segmenter.TryWriteNext(destination, out var length));
            Assert.Equal(original, destination[..length]);
        }
        Assert.Equal(new byte[10].Concat(other), KernelReceives());
        Assert.Null(KernelReceives());
        Assert.Equal(1, _device.CoalescedWrites);
        Assert.Equal(before, batch.Select(b => b.Data.ToArray())); // the caller's buffers are untouched
    }

    [Fact]
    public void Writes_from_two_threads_at_once_each_come_out_whole()
    {
        const int writesPerThread = 40;
        PacketBuffer[] Flow(ushort port) => Enumerable.Range(0, 4).Select(i =>
        {
            var buffer = new PacketBuffer(2048);
            buffer.Set(new TcpPacket { SourcePort = port, Seq = (uint)(i * 100), Id = (ushort)i, Payload = TcpPacket.PayloadOf(100, seed: port + i) }.Build());
            return buffer;
        }).ToArray();
        var flows = new[] { Flow(1111), Flow(2222) };
        using var start = new Barrier(2);
        var threads = flows.Select(flow => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < writesPerThread; i++)
                _device.Write(flow);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        var counts = new Dictionary<ushort, int>();
        while (KernelReceives() is { } message)
        {
            var header = VirtioNetHeader.Read(message);
            Assert.Equal(10 + 52 + 400, message.Length);
            var segmenter = new TcpSegmenter();
            Assert.True(segmenter.Start(message, 10, message.Length - 10, header.GsoSize));
            var port = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(10 + 20));
            var flow = flows[port == 1111 ? 0 : 1];
            var destination = new byte[2048];
            foreach (var packet in flow)
            {
                Assert.True(segmenter.TryWriteNext(destination, out var length));
                Assert.Equal(packet.Span.ToArray(), destination[..length]);
            }
            counts[port] = counts.GetValueOrDefault(port) + 1;
        }

        Assert.Equal(writesPerThread, counts[1111]);
        Assert.Equal(writesPerThread, counts[2222]);
        Assert.Equal(0, _device.Dropped);
    }
}

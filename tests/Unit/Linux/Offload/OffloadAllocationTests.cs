using MyVpn.Io;
using MyVpn.Linux.Offload;
using MyVpn.Net;
using Xunit;

namespace MyVpn.Tests.Unit.Linux.Offload;

/// <summary>The per-packet byte logic of the offloads allocates nothing once warm.</summary>
public sealed class OffloadAllocationTests
{
    [Fact]
    public void Splitting_coalescing_and_grouping_allocate_nothing()
    {
        var superSegment = new TcpPacket { Payload = TcpPacket.PayloadOf(40_000) }.Build();
        var segmenter = new TcpSegmenter();
        var batch = Enumerable.Range(0, 64).Select(_ => new PacketBuffer(2048)).ToArray();
        var header = new byte[TcpCoalescer.MaxHeaderBytes];
        var to = NetEndpoint.Parse("192.0.2.1:40000");

        long Round()
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            segmenter.Start(superSegment, 0, superSegment.Length, 1368);
            var count = 0;
            while (segmenter.TryWriteNext(batch[count].Writable, out var length))
                batch[count++].Length = length;
            var runs = 0;
            for (var i = 0; i < count; i += TcpCoalescer.RunLength(batch.AsSpan(0, count), i))
                runs++;
            TcpCoalescer.WriteHeader(batch.AsSpan(0, count), header);
            foreach (var buffer in batch)
                buffer.Endpoint = to;
            for (var i = 0; i < count; i += UdpGsoRuns.RunLength(batch.AsSpan(0, count), i))
                runs++;
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(30, count);
            Assert.Equal(2, runs); // one TCP run, one UDP run
            return allocated;
        }

        Round();
        Assert.Equal(0, Round());
    }
}

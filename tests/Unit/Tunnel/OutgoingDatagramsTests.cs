using System.Runtime.CompilerServices;
using MyVpn.Io;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Tunnel;
using Xunit;

namespace MyVpn.Tests.Unit.Tunnel;

public sealed class OutgoingDatagramsTests
{
    [Fact]
    public void Flush_sends_once_per_transport_keeping_each_ones_order()
    {
        var a = new RecordingTransport();
        var b = new RecordingTransport();
        var outgoing = new OutgoingDatagrams(8);

        outgoing.Add(Datagram(1), a);
        outgoing.Add(Datagram(2), b);
        outgoing.Add(Datagram(3), a);
        outgoing.Add(Datagram(4), b);
        outgoing.Add(Datagram(5), a);
        outgoing.Flush();

        Assert.Equal([[1, 3, 5]], a.Calls);
        Assert.Equal([[2, 4]], b.Calls);
    }

    [Fact]
    public void A_batch_for_one_transport_then_a_mixed_one_are_each_grouped_right()
    {
        var a = new RecordingTransport();
        var b = new RecordingTransport();
        var outgoing = new OutgoingDatagrams(8);

        outgoing.Add(Datagram(1), a);
        outgoing.Add(Datagram(2), a);
        outgoing.Flush();
        outgoing.Add(Datagram(3), b);
        outgoing.Add(Datagram(4), a);
        outgoing.Add(Datagram(5), b);
        outgoing.Flush();
        outgoing.Add(Datagram(6), b);
        outgoing.Flush();

        Assert.Equal([[1, 2], [4]], a.Calls);
        Assert.Equal([[3, 5], [6]], b.Calls);
    }

    [Fact]
    public void A_mixed_batch_that_throws_leaves_the_next_batch_for_one_transport_intact()
    {
        var failing = new RecordingTransport { Throws = true };
        var b = new RecordingTransport();
        var outgoing = new OutgoingDatagrams(4);
        outgoing.Add(Datagram(1), failing);
        outgoing.Add(Datagram(2), b);

        Assert.Throws<InvalidOperationException>(() => outgoing.Flush());
        outgoing.Add(Datagram(3), b);
        outgoing.Flush();

        Assert.Empty(failing.Calls);
        Assert.Equal([[3]], b.Calls);
    }

    [Fact]
    public void A_full_queue_is_sent_before_the_next_datagram_is_added_and_nothing_is_sent_twice()
    {
        var a = new RecordingTransport();
        var outgoing = new OutgoingDatagrams(2);

        outgoing.Add(Datagram(1), a);
        outgoing.Add(Datagram(2), a);
        outgoing.Add(Datagram(3), a);
        outgoing.Flush();
        outgoing.Flush();

        Assert.Equal([[1, 2], [3]], a.Calls);
    }

    [Fact]
    public void A_send_that_throws_still_empties_the_queue()
    {
        var failing = new RecordingTransport { Throws = true };
        var outgoing = new OutgoingDatagrams(4);
        outgoing.Add(Datagram(1), failing);

        Assert.Throws<InvalidOperationException>(() => outgoing.Flush());
        failing.Throws = false;
        outgoing.Flush();

        Assert.Empty(failing.Calls);
    }

    [Fact]
    public void Flush_returns_what_every_transports_send_did_together()
    {
        var a = new RecordingTransport { RefusedPerCall = 1 };
        var b = new RecordingTransport { RefusedPerCall = 2 };
        var outgoing = new OutgoingDatagrams(8);
        outgoing.Add(Datagram(1), a);
        outgoing.Add(Datagram(2), b);
        outgoing.Add(Datagram(3), a);
        outgoing.Add(Datagram(4), b);
        outgoing.Add(Datagram(5), b);

        var result = outgoing.Flush();

        Assert.Equal(new SendResult { Sent = 2, BufferFull = 3 }, result);
    }

    [Fact]
    public void Flush_of_nothing_reports_nothing()
    {
        Assert.Equal(default, new OutgoingDatagrams(4).Flush());
    }

    [Theory]
    [InlineData(new[] { 0, 0, 0 }, false)]
    [InlineData(new[] { 0, 1, 0, 2, 1, 1 }, false)]
    [InlineData(new[] { 0, 1, 0, 2, 1, 1 }, true)]
    public void A_flushed_batch_keeps_no_reference_to_its_datagrams_or_transports(int[] transportOf, bool firstSendThrows)
    {
        var outgoing = new OutgoingDatagrams(8);

        var sent = AddAndFlush(outgoing, transportOf, firstSendThrows);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.All(sent, reference => Assert.False(reference.IsAlive)); // a buffer or a socket dropped by the engine is freed
        GC.KeepAlive(outgoing);
    }

    /// <summary>Queues a datagram per entry for transport number <paramref name="transportOf"/>[i], flushes, and returns weak references to all of them.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference[] AddAndFlush(OutgoingDatagrams outgoing, int[] transportOf, bool firstSendThrows)
    {
        var transports = new RecordingTransport[transportOf.Max() + 1];
        for (var t = 0; t < transports.Length; t++)
            transports[t] = new RecordingTransport { Throws = firstSendThrows && t == 0 };
        var datagrams = new PacketBuffer[transportOf.Length];
        for (var i = 0; i < datagrams.Length; i++)
        {
            datagrams[i] = Datagram((byte)i);
            outgoing.Add(datagrams[i], transports[transportOf[i]]);
        }
        if (firstSendThrows)
            Assert.Throws<InvalidOperationException>(() => outgoing.Flush());
        else
            outgoing.Flush();
        Assert.Equal(firstSendThrows ? 0 : transportOf.Length, transports.Sum(t => t.Calls.Sum(call => call.Length)));
        return [.. datagrams.Select(d => new WeakReference(d)), .. transports.Select(t => new WeakReference(t))];
    }

    private static PacketBuffer Datagram(byte tag)
    {
        var buffer = new PacketBuffer(64);
        buffer.Set([tag]);
        return buffer;
    }

    /// <summary>Records the first byte of each datagram, one list per Send call.</summary>
    private sealed class RecordingTransport : IDatagramTransport
    {
        public List<int[]> Calls { get; } = [];
        public bool Throws { get; set; }
        /// <summary>How many datagrams (the last ones) each call reports refused with a full send buffer.</summary>
        public int RefusedPerCall { get; set; }
        public NetEndpoint LocalEndpoint => default;
        public int BatchSize => 64;
        public int Receive(Span<PacketBuffer> datagrams) => 0;

        public SendResult Send(ReadOnlySpan<PacketBuffer> datagrams)
        {
            if (Throws)
                throw new InvalidOperationException("send failed");
            var tags = new int[datagrams.Length];
            for (var i = 0; i < datagrams.Length; i++)
                tags[i] = datagrams[i].Span[0];
            Calls.Add(tags);
            var result = SendResult.AllSent(datagrams.Length - RefusedPerCall);
            result.Drop(DropReason.SendBufferFull, RefusedPerCall);
            return result;
        }

        public void Dispose() { }
    }
}

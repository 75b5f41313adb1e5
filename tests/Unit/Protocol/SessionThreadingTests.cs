using System.Buffers.Binary;
using MyVpn.Protocol;
using Xunit;

namespace MyVpn.Tests.Unit.Protocol;

/// <summary>A session sealed from two threads at once (tun thread, forwarding thread) and closed under a data-path thread.</summary>
public sealed class SessionThreadingTests
{
    private static readonly byte[] KeyA = Enumerable.Repeat((byte)0xA1, WireFormat.KeyLength).ToArray();
    private static readonly byte[] KeyB = Enumerable.Repeat((byte)0xB2, WireFormat.KeyLength).ToArray();

    [Fact]
    public void Two_threads_sealing_at_once_use_every_counter_once_and_every_datagram_opens()
    {
        const int PerThread = 20_000;
        using var sender = new Session(7, KeyA, KeyB);
        using var receiver = new Session(7, KeyB, KeyA);
        var sealedBy = new byte[2][][];
        using var start = new Barrier(2);
        var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            var datagrams = new byte[PerThread][];
            start.SignalAndWait();
            for (var i = 0; i < PerThread; i++)
            {
                var datagram = new byte[64 + WireFormat.Overhead];
                BinaryPrimitives.WriteInt32BigEndian(datagram.AsSpan(WireFormat.IvLength), t * PerThread + i);
                Assert.True(sender.TrySeal(datagram, 64, out _));
                datagrams[i] = datagram;
            }
            sealedBy[t] = datagrams;
        })).ToArray();
        foreach (var thread in threads)
            thread.Start();
        foreach (var thread in threads)
            thread.Join();

        var all = sealedBy.SelectMany(d => d).OrderBy(d => BinaryPrimitives.ReadUInt64BigEndian(d.AsSpan(4))).ToArray();
        Assert.Equal(Enumerable.Range(0, 2 * PerThread).Select(i => (ulong)i), all.Select(d => BinaryPrimitives.ReadUInt64BigEndian(d.AsSpan(4))));
        var payloads = new List<int>();
        foreach (var datagram in all)
        {
            Assert.True(receiver.TryOpen(datagram, out var length, out var reason), reason.ToString());
            Assert.Equal(64, length);
            payloads.Add(BinaryPrimitives.ReadInt32BigEndian(datagram.AsSpan(WireFormat.IvLength)));
        }
        Assert.Equal(Enumerable.Range(0, 2 * PerThread), payloads.Order());
        Assert.Equal((ulong)(2 * PerThread), sender.NextCounter);
    }

    [Fact]
    public void A_closed_session_refuses_to_seal_or_open_without_throwing()
    {
        var sender = new Session(7, KeyA, KeyB);
        var receiver = new Session(7, KeyB, KeyA);
        var datagram = new byte[10 + WireFormat.Overhead];
        Assert.True(sender.TrySeal(datagram, 10, out _));

        sender.Dispose();
        receiver.Dispose();

        Assert.True(sender.IsClosed);
        Assert.False(sender.TrySeal(new byte[10 + WireFormat.Overhead], 10, out _));
        Assert.False(receiver.TryOpen(datagram, out _, out var reason));
        Assert.Equal(DropReason.SessionClosed, reason);
    }

    [Fact]
    public void Closing_a_session_while_another_thread_seals_with_it_never_throws()
    {
        for (var round = 0; round < 20; round++)
        {
            var session = new Session(7, KeyA, KeyB);
            Exception? failure = null;
            var sealedCount = 0;
            using var started = new ManualResetEventSlim();
            var sealer = new Thread(() =>
            {
                try
                {
                    var datagram = new byte[1200 + WireFormat.Overhead];
                    started.Set();
                    while (session.TrySeal(datagram, 1200, out _))
                        sealedCount++;
                }
                catch (Exception e)
                {
                    failure = e;
                }
            });
            sealer.Start();
            started.Wait();
            session.Dispose();
            sealer.Join();
            Assert.Null(failure);
            Assert.True(session.IsClosed);
            Assert.Equal((ulong)sealedCount, session.NextCounter);
        }
    }
}

using System.Buffers.Binary;
using MyVpn.Protocol;
using MyVpn.Tunnel;
using Xunit;

namespace MyVpn.Tests.Unit.Tunnel;

/// <summary>
/// A session sealed from two threads at once (tun thread, forwarding thread), sealed and opened at once,
/// and closed under a data-path thread.
/// </summary>
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

    [Fact]
    public void Sealing_on_one_thread_while_another_opens_with_the_same_session_keeps_both_directions_whole()
    {
        const int Count = 20_000;
        using var local = new Session(7, KeyA, KeyB);
        using var peer = new Session(7, KeyB, KeyA);
        var incoming = new byte[Count][];
        for (var i = 0; i < Count; i++)
        {
            incoming[i] = new byte[32 + WireFormat.Overhead];
            BinaryPrimitives.WriteInt32BigEndian(incoming[i].AsSpan(WireFormat.IvLength), i);
            Assert.True(peer.TrySeal(incoming[i], 32, out _));
        }
        var outgoing = new byte[Count][];
        Exception? failure = null;
        var sealer = new Thread(() =>
        {
            try
            {
                for (var i = 0; i < Count; i++)
                {
                    var datagram = new byte[32 + WireFormat.Overhead];
                    if (!local.TrySeal(datagram, 32, out _))
                        throw new InvalidOperationException($"seal {i} refused");
                    outgoing[i] = datagram;
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        sealer.Start();
        for (var i = 0; i < Count; i++)
        {
            Assert.True(local.TryOpen(incoming[i], out var length, out var reason), reason.ToString());
            Assert.Equal(i, BinaryPrimitives.ReadInt32BigEndian(incoming[i].AsSpan(WireFormat.IvLength, length)));
        }
        sealer.Join();

        Assert.Null(failure);
        Assert.Equal((ulong)Count, local.NextCounter);
        Assert.Equal((ulong)(Count - 1), local.HighestOpened);
        foreach (var datagram in outgoing)
            Assert.True(peer.TryOpen(datagram, out _, out var reason), reason.ToString());
    }

    [Fact]
    public void Closing_a_session_while_another_thread_opens_with_it_never_throws()
    {
        using var peer = new Session(7, KeyB, KeyA);
        var datagrams = Enumerable.Range(0, 5_000).Select(_ =>
        {
            var datagram = new byte[1200 + WireFormat.Overhead];
            Assert.True(peer.TrySeal(datagram, 1200, out _));
            return datagram;
        }).ToArray();
        for (var round = 0; round < 20; round++)
        {
            var session = new Session(7, KeyA, KeyB);
            Exception? failure = null;
            var opened = 0;
            var closedAt = -1;
            using var started = new ManualResetEventSlim();
            var opener = new Thread(() =>
            {
                try
                {
                    started.Set();
                    for (var i = 0; i < datagrams.Length && closedAt < 0; i++)
                    {
                        var copy = (byte[])datagrams[i].Clone();
                        if (session.TryOpen(copy, out _, out var reason))
                            opened++;
                        else if (reason == DropReason.SessionClosed)
                            closedAt = i;
                        else
                            throw new InvalidOperationException($"datagram {i} dropped as {reason}");
                    }
                }
                catch (Exception e)
                {
                    failure = e;
                }
            });
            opener.Start();
            started.Wait();
            session.Dispose();
            opener.Join();
            Assert.Null(failure);
            Assert.True(session.IsClosed);
            Assert.True(closedAt < 0 ? opened == datagrams.Length : opened == closedAt, $"opened {opened}, closed at {closedAt}");
        }
    }
}

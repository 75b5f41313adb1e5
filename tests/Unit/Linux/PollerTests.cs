using Microsoft.Extensions.Logging.Abstractions;
using MyVpn.Linux;
using MyVpn.Linux.Interop;
using MyVpn.Tests.Unit.Support;
using Xunit;
using static MyVpn.Tests.Unit.Support.SeqPacketPair;

namespace MyVpn.Tests.Unit.Linux;

/// <summary>
/// <see cref="Poller"/> (epoll) over socket pairs: each watched descriptor's callback runs when it is
/// readable, again while it is not drained (level-triggered), never after its watch is disposed, and
/// the descriptor is let go once the poller no longer holds it.
/// </summary>
public sealed class PollerTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly List<int> _peers = [];
    private readonly List<FileDescriptorHandle> _watched = [];

    public void Dispose()
    {
        foreach (var fd in _peers)
            Close(fd);
        foreach (var handle in _watched)
            handle.Dispose();
    }

    private (FileDescriptorHandle Watched, int Peer) Pair()
    {
        var (watched, peer) = SeqPacketPair.Open();
        var handle = new FileDescriptorHandle(watched);
        _watched.Add(handle);
        _peers.Add(peer);
        return (handle, peer);
    }

    private static void Poke(int peer, byte value) => Assert.Equal(1, (int)Send(peer, [value], 1, MSG_NOSIGNAL));

    /// <summary>Reads one message; the callback drains one per call, so a second waiting one needs a second call.</summary>
    private static int ReadOne(FileDescriptorHandle handle)
    {
        var buffer = new byte[16];
        return (int)Recv(handle.Fd, buffer, buffer.Length, MSG_DONTWAIT) > 0 ? buffer[0] : -1;
    }

    [Fact]
    public void Every_one_of_many_descriptors_gets_its_callback_and_one_not_drained_is_called_again()
    {
        using var poller = new Poller(NullLogger.Instance);
        const int Count = 20; // more than the poller's first table of slots
        var seen = new int[Count];
        var pairs = Enumerable.Range(0, Count).Select(_ => Pair()).ToArray();
        var watches = pairs.Select((pair, i) => poller.Watch(pair.Watched, () =>
        {
            if (ReadOne(pair.Watched) >= 0)
                Interlocked.Increment(ref seen[i]);
        })).ToList();
        Assert.Equal(Count, poller.Watched);

        for (var i = 0; i < Count; i++)
        {
            Poke(pairs[i].Peer, (byte)i);
            Poke(pairs[i].Peer, (byte)i); // two messages, one read per call: the poller must call twice
        }

        Assert.True(SpinWait.SpinUntil(() => Enumerable.Range(0, Count).All(i => Volatile.Read(ref seen[i]) == 2), Patience), string.Join(",", seen));
        watches.ForEach(w => w.Dispose());
        Assert.Equal(0, poller.Watched);
    }

    [Fact]
    public void A_disposed_watch_is_never_called_again_and_its_descriptor_is_let_go_while_the_others_go_on()
    {
        using var poller = new Poller(NullLogger.Instance);
        var (gone, gonePeer) = Pair();
        var (kept, keptPeer) = Pair();
        var goneCalls = 0;
        var keptCalls = 0;
        var watch = poller.Watch(gone, () => { Interlocked.Increment(ref goneCalls); ReadOne(gone); });
        using var keptWatch = poller.Watch(kept, () => { if (ReadOne(kept) >= 0) Interlocked.Increment(ref keptCalls); });

        watch.Dispose();
        gone.Dispose(); // closed for real only when the poller lets go of it
        Send(gonePeer, [1], 1, MSG_NOSIGNAL); // fails once the poller has let go: either way nobody may be called
        Poke(keptPeer, 2);
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref keptCalls) == 1, Patience));
        // the poller let go: the descriptor is closed, so the peer reads end-of-file (not EAGAIN)
        Assert.True(SpinWait.SpinUntil(() => Recv(gonePeer, new byte[16], 16, MSG_DONTWAIT) == 0, Patience));

        Assert.Equal(0, Volatile.Read(ref goneCalls));
        Assert.Equal(1, poller.Watched);
    }
}

using MyVpn.Io;
using MyVpn.Protocol;

namespace MyVpn.Sim;

/// <summary>
/// A host's tun device. Packets the host's IP stack routes into it queue up until the engine reads
/// them; the device tells the engine it is readable through an event of the clock (never from inside
/// another engine call). Packets the engine writes go to the host's <see cref="IpStack"/>. After a
/// host restart the old device is detached: it reads nothing and drops what is written.
/// </summary>
/// <remarks>
/// Faults, as the Linux device meets them (docs/operations.md, "When the tun device fails"):
/// <see cref="Vanish"/> is <c>ip link del tun0</c> (reads fail, writes fail as EBADFD: counted
/// <see cref="DropReason.TunUnavailable"/>, the stack's packets for it are lost); <see cref="FailWrites"/> is a
/// full queue (ENOBUFS or EAGAIN: counted <see cref="DropReason.TunQueueFull"/>); <see cref="StallWriter"/> is a
/// writer stuck in write(2): what the engine writes waits in a bounded queue (the excess dropped and counted
/// <see cref="DropReason.TunQueueFull"/>) and reaches the stack in order when the writer moves again. The engine's
/// write never waits, so its socket side keeps draining.
/// </remarks>
internal sealed class SimTunDevice(SimHost host, int batchSize = 1) : ITunDevice
{
    /// <summary>Like a tun's txqueuelen: packets beyond this wait nowhere and are dropped.</summary>
    public const int QueueCapacity = 1000;

    /// <summary>How many written packets wait behind a stalled writer (the kernel's backlog of 1000, scaled to the simulator's traffic).</summary>
    public const int StalledWriterCapacity = 64;

    private readonly Queue<byte[]> _inbound = new();
    private readonly Queue<byte[]> _stalledWrites = new();
    private Action? _readable;
    private bool _notifyPending;
    private bool _detached;
    private bool _gone;
    private bool _writerStalled;
    private string? _failingWrites;

    public int BatchSize => batchSize;

    /// <summary>Packets dropped: queue full, larger than the buffer the engine offered, or routed here while the device was gone.</summary>
    public long Dropped { get; private set; }

    /// <summary>Reads that failed because the device was gone (each answered 0: the engine does not spin on them).</summary>
    public long FailedReads { get; private set; }

    /// <summary>Packets the engine wrote that the device refused (gone, failing, or the stalled writer's queue full).</summary>
    public long RefusedWrites { get; private set; }

    /// <summary>Whether the device is gone (<see cref="Vanish"/>).</summary>
    public bool IsGone => _gone;

    /// <summary>Packets waiting behind the stalled writer.</summary>
    public int StalledWrites => _stalledWrites.Count;

    /// <summary>The engine's readable handler (<c>OnTunReadable</c>); set when the engine is attached.</summary>
    public Action? Readable
    {
        get => _readable;
        set
        {
            _readable = value;
            ScheduleNotify();
        }
    }

    public int Read(Span<PacketBuffer> packets)
    {
        if (_gone)
        {
            FailedReads++;
            return 0;
        }
        var count = 0;
        while (count < packets.Length && count < batchSize && _inbound.TryDequeue(out var packet))
        {
            var buffer = packets[count];
            if (packet.Length > buffer.Data.Length - buffer.Offset)
            {
                Dropped++;
                continue;
            }
            packet.CopyTo(buffer.Data, buffer.Offset);
            buffer.Length = packet.Length;
            count++;
        }
        return count;
    }

    public TunWriteResult Write(ReadOnlySpan<PacketBuffer> packets)
    {
        if (_detached)
            return TunWriteResult.AllWritten;
        if (_gone)
            return Refuse(packets.Length, DropReason.TunUnavailable);
        if (_failingWrites is not null)
            return Refuse(packets.Length, DropReason.TunQueueFull);
        if (_writerStalled)
        {
            var refused = 0;
            foreach (var packet in packets)
            {
                if (_stalledWrites.Count < StalledWriterCapacity)
                    _stalledWrites.Enqueue(packet.Span.ToArray());
                else
                    refused++;
            }
            return refused == 0 ? TunWriteResult.AllWritten : Refuse(refused, DropReason.TunQueueFull);
        }
        foreach (var packet in packets)
            host.Stack.FromTun(packet.Span.ToArray());
        return TunWriteResult.AllWritten;
    }

    /// <summary>The device vanishes (<c>ip link del</c>): what waits is lost, reads fail, writes are refused. For good: a new device replaces it.</summary>
    internal void Vanish()
    {
        _gone = true;
        Dropped += _inbound.Count;
        _inbound.Clear();
        _stalledWrites.Clear();
    }

    /// <summary>Every write fails with <paramref name="errno"/> (ENOBUFS, EAGAIN: the queue is full) until <see cref="WritesPass"/>.</summary>
    internal void FailWrites(string errno) => _failingWrites = errno;

    /// <summary>Writes pass again.</summary>
    internal void WritesPass() => _failingWrites = null;

    /// <summary>The writer is stuck in write(2): writes queue up (bounded) until <see cref="ReleaseWriter"/>.</summary>
    internal void StallWriter() => _writerStalled = true;

    /// <summary>The writer moves again: what waited reaches the stack in order.</summary>
    internal void ReleaseWriter()
    {
        _writerStalled = false;
        while (_stalledWrites.TryDequeue(out var packet) && !_detached && !_gone)
            host.Stack.FromTun(packet);
        _stalledWrites.Clear();
    }

    /// <summary>The host's stack routes <paramref name="packet"/> into the tun (the engine will read it).</summary>
    internal void Inject(byte[] packet)
    {
        if (_detached)
            return;
        if (_gone || _inbound.Count >= QueueCapacity)
        {
            Dropped++;
            return;
        }
        _inbound.Enqueue(packet);
        ScheduleNotify();
    }

    internal void Detach()
    {
        _detached = true;
        _readable = null;
        _inbound.Clear();
        _stalledWrites.Clear();
    }

    private TunWriteResult Refuse(int count, DropReason reason)
    {
        RefusedWrites += count;
        return new TunWriteResult(count, reason);
    }

    private void ScheduleNotify()
    {
        if (_notifyPending || _readable is null || _inbound.Count == 0)
            return;
        _notifyPending = true;
        host.Network.Clock.Schedule(TimeSpan.Zero, () =>
        {
            _notifyPending = false;
            if (!_detached && _inbound.Count > 0)
                _readable?.Invoke();
        });
    }
}

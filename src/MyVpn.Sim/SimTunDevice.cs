using MyVpn.Io;

namespace MyVpn.Sim;

/// <summary>
/// A host's tun device. Packets the host's IP stack routes into it queue up until the engine reads
/// them; the device tells the engine it is readable through an event of the clock (never from inside
/// another engine call). Packets the engine writes go to the host's <see cref="IpStack"/>. After a
/// host restart the old device is detached: it reads nothing and drops what is written.
/// </summary>
internal sealed class SimTunDevice(SimHost host, int batchSize = 1) : ITunDevice
{
    /// <summary>Like a tun's txqueuelen: packets beyond this wait nowhere and are dropped.</summary>
    public const int QueueCapacity = 1000;

    private readonly Queue<byte[]> _inbound = new();
    private Action? _readable;
    private bool _notifyPending;
    private bool _detached;

    public int BatchSize => batchSize;

    /// <summary>Packets dropped: queue full, or larger than the buffer the engine offered.</summary>
    public long Dropped { get; private set; }

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

    public void Write(ReadOnlySpan<PacketBuffer> packets)
    {
        if (_detached)
            return;
        foreach (var packet in packets)
            host.Stack.FromTun(packet.Span.ToArray());
    }

    /// <summary>The host's stack routes <paramref name="packet"/> into the tun (the engine will read it).</summary>
    internal void Inject(byte[] packet)
    {
        if (_detached)
            return;
        if (_inbound.Count >= QueueCapacity)
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

using MyVpn.Io;

namespace MyVpn.Tests.Unit.Support;

/// <summary>A tun device whose "kernel" is the test: it injects packets and collects what the engine writes.</summary>
public sealed class ChannelTun : ITunDevice
{
    private readonly Queue<byte[]> _fromKernel = new();

    public int BatchSize => ReadsPerCall;
    public List<byte[]> Written { get; } = [];

    /// <summary>False: <see cref="Write"/> only counts packets in <see cref="WriteCount"/> (allocation tests).</summary>
    public bool Record { get; set; } = true;

    /// <summary>Packets written while <see cref="Record"/> is false.</summary>
    public int WriteCount { get; private set; }

    /// <summary>The most packets one <see cref="Read"/> hands over (1: the simple device).</summary>
    public int ReadsPerCall { get; set; } = 1;

    /// <summary>Queues a packet as if the kernel routed it into the tun device; the caller then tells the engine.</summary>
    public void Inject(byte[] packet) => _fromKernel.Enqueue(packet);

    public int Read(Span<PacketBuffer> packets)
    {
        var count = 0;
        while (count < Math.Min(packets.Length, ReadsPerCall) && _fromKernel.TryDequeue(out var p))
        {
            p.CopyTo(packets[count].Data.AsSpan(packets[count].Offset));
            packets[count].Length = p.Length;
            count++;
        }
        return count;
    }

    /// <summary>
    /// The kernel's answer to a written packet, queued for reading before <see cref="Write"/> returns (as
    /// Linux answers a ping of the host's own address, or ACKs TCP data, inside the write); null: none.
    /// </summary>
    public Func<byte[], byte[]?>? Answer { get; set; }

    /// <summary>
    /// Set: every write fails this way, each packet dropped and reported (a full queue, a device that is down or
    /// gone); null: writes succeed.
    /// </summary>
    public MyVpn.Protocol.DropReason? Failing { get; set; }

    /// <summary>Packets refused while <see cref="Failing"/> was set.</summary>
    public int Refused { get; private set; }

    public TunWriteResult Write(ReadOnlySpan<PacketBuffer> packets)
    {
        if (Failing is { } reason)
        {
            Refused += packets.Length;
            return new TunWriteResult(packets.Length, reason);
        }
        if (!Record)
        {
            WriteCount += packets.Length;
            return TunWriteResult.AllWritten;
        }
        foreach (var p in packets)
        {
            var packet = p.Span.ToArray();
            Written.Add(packet);
            if (Answer?.Invoke(packet) is { } answer)
                _fromKernel.Enqueue(answer);
        }
        return TunWriteResult.AllWritten;
    }
}

using System.Collections.Concurrent;
using MyVpn.Io;

namespace MyVpn.Tests.Unit.Support;

/// <summary>
/// A tun device safe for one reader and any number of writers at once: the test's "kernel" injects
/// packets and the tun thread reads them; the engine's socket threads write.
/// </summary>
public sealed class ThreadedTun : ITunDevice
{
    private readonly ConcurrentQueue<byte[]> _fromKernel = new();

    public int BatchSize { get; init; } = 16;

    /// <summary>Every packet the engine wrote, recorded by flow.</summary>
    public FlowRecorder Written { get; } = new();

    public void Inject(byte[] packet) => _fromKernel.Enqueue(packet);

    public int Read(Span<PacketBuffer> packets)
    {
        var count = 0;
        while (count < Math.Min(packets.Length, BatchSize) && _fromKernel.TryDequeue(out var p))
        {
            p.CopyTo(packets[count].Data.AsSpan(packets[count].Offset));
            packets[count].Length = p.Length;
            count++;
        }
        return count;
    }

    public TunWriteResult Write(ReadOnlySpan<PacketBuffer> packets)
    {
        foreach (var p in packets)
            Written.Record(p.Span.ToArray());
        return TunWriteResult.AllWritten;
    }
}

using BenchmarkDotNet.Attributes;
using MyVpn.Protocol;
using MyVpn.Tunnel;

namespace MyVpn.Bench;

/// <summary>
/// The per-packet cost of the data channel: sealing and opening one inner packet in place, full-size
/// (1420 bytes, the default MTU: what bulk transfers send) and ping-sized (84 bytes: what a ping's
/// round trip pays four times). Both must allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class DataPathBenchmarks
{
    [Params(84, 1420)]
    public int InnerLength { get; set; }

    private int DatagramLength => InnerLength + WireFormat.Overhead;

    /// <summary>Packets opened per measured invocation of <see cref="Open"/>; re-sealed between iterations.</summary>
    private const int OpenBatch = 1024;

    private Session _sender = null!;
    private Session _receiver = null!;
    private byte[] _buffer = null!;
    private byte[][] _sealed = null!;

    [GlobalSetup]
    public void Setup()
    {
        byte[] toReceiver = [.. Enumerable.Repeat((byte)0x11, WireFormat.KeyLength)];
        byte[] toSender = [.. Enumerable.Repeat((byte)0x22, WireFormat.KeyLength)];
        _sender = new Session(7, toReceiver, toSender);
        _receiver = new Session(7, toSender, toReceiver);
        _buffer = new byte[DatagramLength];
        _sealed = [.. Enumerable.Range(0, OpenBatch).Select(_ => new byte[DatagramLength])];
    }

    /// <summary>Seals in place; the plaintext left in the buffer is whatever the last call produced, as good as any.</summary>
    [Benchmark]
    public int Seal()
    {
        _sender.TrySeal(_buffer, InnerLength, out var length);
        return length;
    }

    /// <summary>Fresh datagrams (next counters) for the next iteration of <see cref="Open"/>; not measured.</summary>
    [IterationSetup(Target = nameof(Open))]
    public void SealBatch()
    {
        foreach (var datagram in _sealed)
            _sender.TrySeal(datagram, InnerLength, out _);
    }

    /// <summary>Opens in place: header checks, replay check, AES-GCM decrypt and tag check, replay mark.</summary>
    [Benchmark(OperationsPerInvoke = OpenBatch)]
    public int Open()
    {
        var total = 0;
        foreach (var datagram in _sealed)
        {
            if (!_receiver.TryOpen(datagram, out var length, out var reason))
                throw new InvalidOperationException($"benchmark datagram dropped: {reason}");
            total += length;
        }
        return total;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender.Dispose();
        _receiver.Dispose();
    }
}

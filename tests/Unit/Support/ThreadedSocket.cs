using System.Collections.Concurrent;
using MyVpn.Io;
using MyVpn.Net;

namespace MyVpn.Tests.Unit.Support;

/// <summary>A UDP socket of a <see cref="ThreadedNetwork"/>, read by a thread of its own: the engine's callback runs there, never twice at once.</summary>
public sealed class ThreadedSocket : IDatagramTransport
{
    private readonly ThreadedNetwork _network;
    private readonly ConcurrentQueue<(NetEndpoint From, byte[] Bytes)> _inbox = new();
    private readonly SemaphoreSlim _signal = new(0);
    private int _pending;
    private int _busy;
    private volatile bool _closed;

    internal ThreadedSocket(ThreadedNetwork network, NetEndpoint local, int batchSize)
    {
        _network = network;
        LocalEndpoint = local;
        BatchSize = batchSize;
    }

    public NetEndpoint LocalEndpoint { get; }
    public int BatchSize { get; }

    internal bool Idle => _inbox.IsEmpty && Volatile.Read(ref _busy) == 0 && Volatile.Read(ref _pending) == 0;

    internal void Arrive(NetEndpoint from, byte[] bytes)
    {
        if (_closed)
            return;
        _inbox.Enqueue((from, bytes));
        if (Interlocked.Exchange(ref _pending, 1) == 0)
            _signal.Release();
    }

    /// <summary>The socket's reader thread: waits for datagrams and lets the engine drain them.</summary>
    internal void ReadLoop(Action<IDatagramTransport> onReadable, CancellationToken stop)
    {
        try
        {
            while (!_closed)
            {
                _signal.Wait(stop);
                Volatile.Write(ref _busy, 1);
                Volatile.Write(ref _pending, 0);
                try
                {
                    onReadable(this);
                }
                catch (Exception e)
                {
                    _network.Failures.Enqueue(e);
                }
                finally
                {
                    Volatile.Write(ref _busy, 0);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public int Receive(Span<PacketBuffer> datagrams)
    {
        var count = 0;
        while (count < Math.Min(datagrams.Length, BatchSize) && !_closed && _inbox.TryDequeue(out var d))
        {
            var buffer = datagrams[count++];
            d.Bytes.CopyTo(buffer.Data.AsSpan(buffer.Offset));
            buffer.Length = d.Bytes.Length;
            buffer.Endpoint = d.From;
        }
        return count;
    }

    public SendResult Send(ReadOnlySpan<PacketBuffer> datagrams)
    {
        if (_closed)
            return default;
        foreach (var d in datagrams)
            _network.Deliver(LocalEndpoint, d.Endpoint, d.Span.ToArray());
        return SendResult.AllSent(datagrams.Length);
    }

    public void Dispose()
    {
        _closed = true;
        _network.Unbind(this);
        _signal.Release(); // lets the reader thread see it is closed
    }
}

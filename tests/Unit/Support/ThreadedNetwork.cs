using System.Collections.Concurrent;
using MyVpn.Io;
using MyVpn.Net;

namespace MyVpn.Tests.Unit.Support;

/// <summary>
/// A lossless in-memory UDP network whose sockets are each read by a real thread of their own, as the
/// Linux host's socket pollers read theirs: the engine's datagram callback runs on that thread, never
/// twice at once for one socket. For tests that drive one engine from several threads at once.
/// Handshakes go over a <see cref="ChannelNetwork"/> pumped by the test's own (control) thread.
/// Exceptions thrown out of a callback are collected in <see cref="Failures"/>, as a poller logs them.
/// </summary>
public sealed class ThreadedNetwork : IDisposable
{
    private readonly ConcurrentDictionary<IPv4Endpoint, ThreadedSocket> _sockets = new();
    private readonly ConcurrentQueue<Thread> _threads = new();
    private readonly CancellationTokenSource _stop = new();
    private int _nextEphemeral = 50000;

    /// <summary>The handshake streams (not thread-safe: only the control thread pumps it).</summary>
    public ChannelNetwork Streams { get; } = new();

    public ConcurrentQueue<Exception> Failures { get; } = new();

    /// <summary>How many datagrams each socket's Receive hands over at most.</summary>
    public int SocketBatchSize { get; init; } = 8;

    public ThreadedHost Host(string address) => new(this, Streams.Host(address));

    internal ThreadedSocket Bind(IPv4Address address, ushort port, Action<IDatagramTransport> onReadable)
    {
        if (port == 0)
            port = (ushort)Interlocked.Increment(ref _nextEphemeral);
        var endpoint = new IPv4Endpoint(address, port);
        var socket = new ThreadedSocket(this, endpoint, SocketBatchSize);
        if (!_sockets.TryAdd(endpoint, socket))
            throw new PortUnavailableException(port, "in use");
        var thread = new Thread(() => socket.ReadLoop(onReadable, _stop.Token))
        {
            IsBackground = true,
            Name = $"socket {endpoint}",
        };
        _threads.Enqueue(thread);
        thread.Start();
        return socket;
    }

    internal void Unbind(ThreadedSocket socket) => _sockets.TryRemove(new KeyValuePair<IPv4Endpoint, ThreadedSocket>(socket.LocalEndpoint, socket));

    internal void Deliver(IPv4Endpoint from, IPv4Endpoint to, byte[] bytes)
    {
        if (_sockets.TryGetValue(to, out var socket))
            socket.Arrive(from, bytes);
    }

    /// <summary>True when no socket has a datagram waiting or being handled.</summary>
    public bool Quiet => _sockets.Values.All(s => s.Idle);

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var thread in _threads)
            thread.Join();
        _stop.Dispose();
    }
}

public sealed class ThreadedHost(ThreadedNetwork network, ChannelHost streams) : IDatagramBinder, IStreamConnector
{
    public IDatagramTransport Bind(ushort port, Action<IDatagramTransport> onReadable) =>
        network.Bind(streams.Address, port, onReadable);

    public IStreamConnection Connect(IPv4Endpoint server, IStreamHandler handler) => streams.Connect(server, handler);
}

public sealed class ThreadedSocket : IDatagramTransport
{
    private readonly ThreadedNetwork _network;
    private readonly ConcurrentQueue<(IPv4Endpoint From, byte[] Bytes)> _inbox = new();
    private readonly SemaphoreSlim _signal = new(0);
    private int _pending;
    private int _busy;
    private volatile bool _closed;

    internal ThreadedSocket(ThreadedNetwork network, IPv4Endpoint local, int batchSize)
    {
        _network = network;
        LocalEndpoint = local;
        BatchSize = batchSize;
    }

    public IPv4Endpoint LocalEndpoint { get; }
    public int BatchSize { get; }

    internal bool Idle => _inbox.IsEmpty && Volatile.Read(ref _busy) == 0 && Volatile.Read(ref _pending) == 0;

    internal void Arrive(IPv4Endpoint from, byte[] bytes)
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

    public void Send(ReadOnlySpan<PacketBuffer> datagrams)
    {
        if (_closed)
            return;
        foreach (var d in datagrams)
            _network.Deliver(LocalEndpoint, d.Endpoint, d.Span.ToArray());
    }

    public void Dispose()
    {
        _closed = true;
        _network.Unbind(this);
        _signal.Release(); // lets the reader thread see it is closed
    }
}

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

    public void Write(ReadOnlySpan<PacketBuffer> packets)
    {
        foreach (var p in packets)
            Written.Record(p.Span.ToArray());
    }
}

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
    private readonly ConcurrentDictionary<NetEndpoint, ThreadedSocket> _sockets = new();
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
        var endpoint = new NetEndpoint(address, port);
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

    internal void Unbind(ThreadedSocket socket) => _sockets.TryRemove(new KeyValuePair<NetEndpoint, ThreadedSocket>(socket.LocalEndpoint, socket));

    internal void Deliver(NetEndpoint from, NetEndpoint to, byte[] bytes)
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

using MyVpn.Io;
using MyVpn.Net;

namespace MyVpn.Tests.Unit.Support;

/// <summary>
/// The smallest world the engines can run in (wireguard-go's tuntest/bindtest idea): every
/// delivery is queued and <see cref="Pump"/> hands them out one by one on the test's thread.
/// No latency, no loss; time is whatever TimeProvider the test gives the engines.
/// </summary>
public sealed class ChannelNetwork
{
    private readonly Queue<Action> _deliveries = new();
    private readonly Dictionary<IPv4Endpoint, ChannelSocket> _sockets = [];
    private readonly Dictionary<IPv4Endpoint, IStreamAcceptor> _listeners = [];
    private ushort _nextEphemeral = 50000;

    /// <summary>Every datagram that was sent (for "no plaintext on the wire" checks and captures).</summary>
    public List<WireDatagram> Wire { get; } = [];

    /// <summary>When set, decides per datagram whether it is lost.</summary>
    public Func<IPv4Endpoint, IPv4Endpoint, bool>? Drop { get; set; }

    /// <summary>The socket bound at <paramref name="endpoint"/>.</summary>
    public ChannelSocket Socket(IPv4Endpoint endpoint) => _sockets[endpoint];

    public void Listen(IPv4Endpoint endpoint, IStreamAcceptor acceptor) => _listeners[endpoint] = acceptor;

    public void StopListening(IPv4Endpoint endpoint) => _listeners.Remove(endpoint);

    /// <summary>Delivers queued events until none are left (or the limit, against livelock).</summary>
    public int Pump(int limit = 1_000_000)
    {
        var n = 0;
        while (n < limit && _deliveries.TryDequeue(out var delivery))
        {
            delivery();
            n++;
        }
        return n;
    }

    public ChannelHost Host(string address) => new(this, IPv4Address.Parse(address));

    internal void Enqueue(Action delivery) => _deliveries.Enqueue(delivery);

    internal ChannelSocket Bind(IPv4Address address, ushort port, Action<IDatagramTransport> onReadable)
    {
        if (port == 0)
            port = _nextEphemeral++;
        var endpoint = new IPv4Endpoint(address, port);
        if (_sockets.ContainsKey(endpoint))
            throw new PortUnavailableException(port, "in use");
        var socket = new ChannelSocket(this, endpoint, onReadable);
        _sockets[endpoint] = socket;
        return socket;
    }

    internal void Unbind(IPv4Endpoint endpoint) => _sockets.Remove(endpoint);

    internal void SendDatagram(IPv4Endpoint from, IPv4Endpoint to, byte[] bytes)
    {
        Wire.Add(new WireDatagram(from, to, bytes));
        if (Drop?.Invoke(from, to) == true)
            return;
        Enqueue(() =>
        {
            if (_sockets.TryGetValue(to, out var socket))
                socket.Arrive(from, bytes);
        });
    }

    internal IStreamConnection Connect(IPv4Endpoint from, IPv4Endpoint to, IStreamHandler clientSide)
    {
        var client = new ChannelStream(this, to, clientSide);
        Enqueue(() =>
        {
            if (!_listeners.TryGetValue(to, out var acceptor))
            {
                client.Closed();
                return;
            }
            var server = new ChannelStream(this, from, null);
            client.Peer = server;
            server.Peer = client;
            server.Handler = acceptor.Accept(server);
            server.Handler.OnConnected();
            clientSide.OnConnected();
        });
        return client;
    }
}

/// <summary>A datagram as it crossed the channel network.</summary>
public sealed record WireDatagram(IPv4Endpoint From, IPv4Endpoint To, byte[] Bytes, bool Tcp = false);

public sealed class ChannelHost(ChannelNetwork network, IPv4Address address) : IDatagramBinder, IStreamConnector
{
    public IPv4Address Address { get; set; } = address;

    public IDatagramTransport Bind(ushort port, Action<IDatagramTransport> onReadable) => network.Bind(Address, port, onReadable);

    public IStreamConnection Connect(IPv4Endpoint server, IStreamHandler handler) =>
        network.Connect(new IPv4Endpoint(Address, 40), server, handler);
}

public sealed class ChannelSocket(ChannelNetwork network, IPv4Endpoint local, Action<IDatagramTransport> onReadable) : IDatagramTransport
{
    private readonly Queue<(IPv4Endpoint From, byte[] Bytes)> _inbox = new();
    private bool _closed;

    public IPv4Endpoint LocalEndpoint { get; } = local;
    public int BatchSize => 1;

    /// <summary>The source address datagrams leave with (changes to model NAT rebinding).</summary>
    public IPv4Endpoint SourceOverride { get; set; }

    /// <summary>How many datagrams each <see cref="Send"/> call carried, in call order.</summary>
    public List<int> SendBatches { get; } = [];

    internal void Arrive(IPv4Endpoint from, byte[] bytes)
    {
        if (_closed)
            return;
        _inbox.Enqueue((from, bytes));
        onReadable(this);
    }

    public int Receive(Span<PacketBuffer> datagrams)
    {
        if (datagrams.IsEmpty || !_inbox.TryDequeue(out var d))
            return 0;
        d.Bytes.CopyTo(datagrams[0].Data.AsSpan(datagrams[0].Offset));
        datagrams[0].Length = d.Bytes.Length;
        datagrams[0].Endpoint = d.From;
        return 1;
    }

    public void Send(ReadOnlySpan<PacketBuffer> datagrams)
    {
        SendBatches.Add(datagrams.Length);
        foreach (var d in datagrams)
            network.SendDatagram(SourceOverride.Port != 0 ? SourceOverride : LocalEndpoint, d.Endpoint, d.Span.ToArray());
    }

    public void Dispose()
    {
        _closed = true;
        network.Unbind(LocalEndpoint);
    }
}

internal sealed class ChannelStream(ChannelNetwork network, IPv4Endpoint remote, IStreamHandler? handler) : IStreamConnection
{
    private bool _closed;

    public IStreamHandler? Handler { get; set; } = handler;
    public ChannelStream? Peer { get; set; }
    public IPv4Endpoint RemoteEndpoint { get; } = remote;

    public void Send(ReadOnlySpan<byte> data)
    {
        if (_closed || Peer is null)
            return;
        var bytes = data.ToArray();
        var peer = Peer;
        network.Wire.Add(new WireDatagram(peer.RemoteEndpoint, RemoteEndpoint, bytes, Tcp: true));
        network.Enqueue(() => peer.Arrive(bytes));
    }

    private void Arrive(byte[] bytes)
    {
        if (!_closed)
            Handler!.OnData(bytes);
    }

    public void Close()
    {
        if (_closed)
            return;
        var peer = Peer;
        Closed();
        if (peer is not null)
            network.Enqueue(peer.Closed);
    }

    internal void Closed()
    {
        if (_closed)
            return;
        _closed = true;
        Handler?.OnClosed();
    }
}

/// <summary>A tun device whose "kernel" is the test: it injects packets and collects what the engine writes.</summary>
public sealed class ChannelTun : ITunDevice
{
    private readonly Queue<byte[]> _fromKernel = new();

    public int BatchSize => ReadsPerCall;
    public List<byte[]> Written { get; } = [];

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

    public void Write(ReadOnlySpan<PacketBuffer> packets)
    {
        foreach (var p in packets)
        {
            var packet = p.Span.ToArray();
            Written.Add(packet);
            if (Answer?.Invoke(packet) is { } answer)
                _fromKernel.Enqueue(answer);
        }
    }
}

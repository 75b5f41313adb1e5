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
    private readonly Dictionary<NetEndpoint, ChannelSocket> _sockets = [];
    private readonly Dictionary<NetEndpoint, IStreamAcceptor> _listeners = [];
    private ushort _nextEphemeral = 50000;

    /// <summary>Every datagram that was sent (for "no plaintext on the wire" checks and captures).</summary>
    public List<WireDatagram> Wire { get; } = [];

    /// <summary>When set, decides per datagram whether it is lost.</summary>
    public Func<NetEndpoint, NetEndpoint, bool>? Drop { get; set; }

    /// <summary>The socket bound at <paramref name="endpoint"/>.</summary>
    public ChannelSocket Socket(NetEndpoint endpoint) => _sockets[endpoint];

    public void Listen(NetEndpoint endpoint, IStreamAcceptor acceptor) => _listeners[endpoint] = acceptor;

    public void StopListening(NetEndpoint endpoint) => _listeners.Remove(endpoint);

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
        var endpoint = new NetEndpoint(address, port);
        if (_sockets.ContainsKey(endpoint))
            throw new PortUnavailableException(port, "in use");
        var socket = new ChannelSocket(this, endpoint, onReadable);
        _sockets[endpoint] = socket;
        return socket;
    }

    internal void Unbind(NetEndpoint endpoint) => _sockets.Remove(endpoint);

    internal void SendDatagram(NetEndpoint from, NetEndpoint to, byte[] bytes)
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

    internal IStreamConnection Connect(NetEndpoint from, NetEndpoint to, IStreamHandler clientSide)
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

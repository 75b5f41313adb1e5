using MyVpn.Io;
using MyVpn.Net;

namespace MyVpn.Sim;

/// <summary>
/// A machine on the simulated WAN: one public address, UDP ports (<see cref="IDatagramBinder"/>),
/// handshake streams (<see cref="IStreamConnector"/> and <see cref="Listen"/>), a tun device and an
/// IP stack. <see cref="Restart"/> drops every socket and all state, as a reboot does; the scenario
/// then builds a new engine on the new <see cref="Tun"/>.
/// </summary>
internal sealed partial class SimHost : IDatagramBinder, IStreamConnector
{
    private const ushort FirstEphemeralPort = 32768;
    private const ushort LastEphemeralPort = 60999;

    private readonly Dictionary<ushort, SimDatagramTransport> _udp = [];
    private readonly Dictionary<ushort, IStreamAcceptor> _listeners = [];
    private readonly List<SimStreamEnd> _streams = [];
    private readonly SimRandom _ports;

    internal SimHost(SimNetwork network, int index, string name, IPv4Address address)
    {
        Network = network;
        Index = index;
        Name = name;
        Address = address;
        _ports = network.Random.Fork($"ports:{name}");
        Stack = new IpStack(this);
        Tun = new SimTunDevice(this);
        // each host booted at another time: its monotonic clock reads days to weeks ahead of the run's
        var boot = network.Random.Fork($"boot:{name}");
        Time = new HostClock(network.Clock, this, TimeSpan.FromSeconds(boot.NextInRange(86_400, 30 * 86_400)));
    }

    public SimNetwork Network { get; }
    public int Index { get; }
    public string Name { get; }

    /// <summary>The public address; changes on <see cref="SimNetwork.ChangeAddress"/>.</summary>
    public IPv4Address Address { get; internal set; }

    /// <summary>How many times the host restarted.</summary>
    public int Generation { get; private set; }

    /// <summary>The tun device of the current generation (a restart makes a new one).</summary>
    public SimTunDevice Tun { get; private set; }

    public IpStack Stack { get; }

    /// <summary>The UDP batch size new sockets report.</summary>
    public int DatagramBatchSize { get; set; } = 4;

    /// <summary>
    /// How the host's UDP sends fail now (<see cref="FaultKind.SendFailure"/>), or null: they work. A state of the
    /// host's kernel, so it outlives a restart of the engine.
    /// </summary>
    public SimSendFault? SendFault { get; set; }

    /// <summary>Every datagram the host's sockets refused so far, by reason (<see cref="SendResult.Sent"/> stays 0).</summary>
    public SendResult RefusedSends => _refusedSends;

    private SendResult _refusedSends;

    internal void CountRefusedSends(in SendResult result)
    {
        _refusedSends.Add(result with { Sent = 0 });
    }

    /// <summary>UDP ports bound now, ascending.</summary>
    public IReadOnlyList<ushort> BoundPorts => _udp.Keys.Order().ToList();

    public IDatagramTransport Bind(ushort port, Action<IDatagramTransport> onReadable)
    {
        ArgumentNullException.ThrowIfNull(onReadable);
        if (port == 0)
            port = EphemeralPort(p => _udp.ContainsKey(p));
        else if (_udp.ContainsKey(port))
            throw new PortUnavailableException(port, $"already bound on {Name}");
        SimDatagramTransport? transport = null;
        var awake = WhenAwake(() => onReadable(transport!));
        transport = new SimDatagramTransport(this, port, _ => awake(), DatagramBatchSize);
        _udp.Add(port, transport);
        return transport;
    }

    public IStreamConnection Connect(NetEndpoint server, IStreamHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var port = EphemeralPort(p => _streams.Exists(s => s.LocalEndpoint.Port == p));
        var end = new SimStreamEnd(this, new NetEndpoint(Address, port), server) { Handler = handler };
        _streams.Add(end);
        CutIfFaulted(end);
        end.StartConnect();
        return end;
    }

    /// <summary>Accepts handshake connections on TCP <paramref name="port"/> until disposed or the host restarts.</summary>
    public IDisposable Listen(ushort port, IStreamAcceptor acceptor)
    {
        if (!_listeners.TryAdd(port, acceptor))
            throw new InvalidOperationException($"{Name} already listens on TCP port {port}");
        return new Listening(this, port, acceptor);
    }

    /// <summary>Reboots the host: every socket closes, connections reset, the tun and the IP stack start empty.</summary>
    public void Restart()
    {
        Generation++;
        Network.Note($"{Name} restarts (generation {Generation})");
        WakeForRestart();
        foreach (var port in _udp.Keys.Order().ToList())
            _udp[port].CloseByHost();
        _udp.Clear();
        _listeners.Clear();
        BreakStreams();
        Tun.Detach();
        Tun = new SimTunDevice(this);
        Stack.Reset();
    }

    /// <summary>Resets every open connection (restart, or the address they were bound to is gone); held stalled segments are lost.</summary>
    internal void BreakStreams()
    {
        Network.DropStalls(this);
        foreach (var end in _streams.ToList())
            end.Break();
        _streams.Clear();
    }

    internal void Unbind(SimDatagramTransport transport)
    {
        if (_udp.TryGetValue(transport.Port, out var bound) && bound == transport)
            _udp.Remove(transport.Port);
    }

    internal void Forget(SimStreamEnd end) => _streams.Remove(end);

    /// <summary>The open connection whose local end is <paramref name="local"/>, if any.</summary>
    internal SimStreamEnd? StreamAt(NetEndpoint local) => _streams.Find(s => s.LocalEndpoint == local && s.Live);

    /// <summary>A datagram for <paramref name="port"/> arrived; false when nothing took it.</summary>
    internal bool DeliverDatagram(NetEndpoint from, ushort port, byte[] bytes) =>
        _udp.TryGetValue(port, out var transport) && transport.Enqueue(from, bytes);

    /// <summary>A SYN arrived for <paramref name="port"/>: accept it if someone listens, else refuse (RST).</summary>
    internal void AcceptSyn(SimStreamEnd client, ushort port)
    {
        var end = new SimStreamEnd(this, new NetEndpoint(Address, port), client.LocalEndpoint) { Peer = client, Cut = client.PeerCut };
        client.Peer = end;
        if (!_listeners.TryGetValue(port, out var acceptor))
        {
            end.LocallyClosed = true;
            Network.SendSegment(end, SegmentKind.Rst, []);
            return;
        }
        _streams.Add(end);
        end.AcceptBy(acceptor);
    }

    private ushort EphemeralPort(Func<ushort, bool> inUse)
    {
        for (var tries = 0; tries < 100_000; tries++)
        {
            var port = (ushort)_ports.NextInRange(FirstEphemeralPort, LastEphemeralPort);
            if (!inUse(port))
                return port;
        }
        throw new PortUnavailableException(0, $"no free ephemeral port on {Name}");
    }

    public override string ToString() => $"{Name} ({Address})";

    private sealed class Listening(SimHost host, ushort port, IStreamAcceptor acceptor) : IDisposable
    {
        private readonly int _generation = host.Generation;

        public void Dispose()
        {
            if (host.Generation == _generation && host._listeners.TryGetValue(port, out var current) && current == acceptor)
                host._listeners.Remove(port);
        }
    }
}

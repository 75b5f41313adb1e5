using MyVpn.Client;
using MyVpn.Net;
using MyVpn.Server;

namespace MyVpn.Sim.Scenarios;

/// <summary>
/// The network of DESIGN.md on the simulator, run by the real engines:
/// <code>
///   pc1 (10.0.0.2)   pc2 (10.0.0.3)  … pcN     clients, public 203.0.113.x
///        \               /
///         s1 198.51.100.1, VPN 10.0.0.1, handshakes on TCP 9525
///          └── NAT ── internet 8.8.8.8
/// </code>
/// Clients connect in order (pc1 first, so it gets 10.0.0.2). The scenario can ping between any
/// hosts, restart the server or a client (new engine, same options) and move a client to a new address.
/// </summary>
internal sealed partial class SeedNetwork
{
    public const ushort HandshakePort = Protocol.WireFormat.DefaultHandshakePort;
    public static readonly IPv4Address ServerPublicAddress = IPv4Address.Parse("198.51.100.1");
    public static readonly IPv4Address InternetAddress = IPv4Address.Parse("8.8.8.8");

    /// <summary>The internet host's IPv6 address: the server routes the VPN's IPv6 subnet to it (no NAT66).</summary>
    public static readonly IPv6Address InternetAddress6 = IPv6Address.Parse("2001:4860:4860::8888");

    private readonly List<SeedClient> _clients = [];
    private IDisposable? _listening;
    private uint _nextRoamingAddress = IPv4Address.Parse("192.0.2.1").Value;
    private uint _nextServerAddress = IPv4Address.Parse("198.51.100.2").Value;
    private SimHost? _staleHost;

    private SeedNetwork(ulong seed, SeedNetworkOptions options)
    {
        Options = options;
        Network = new SimNetwork(seed, options.KeepTrace) { DefaultFaults = options.Faults };
        foreach (var copy in options.TraceCopies)
            Network.Trace.CopyTo(copy);
        Server = Network.AddHost("s1", ServerPublicAddress);
        Internet = Network.AddHost("internet", InternetAddress);
        Network.SetFaults(Server, Internet, LinkFaults.None with { DelayMin = TimeSpan.FromMilliseconds(10), DelayMean = TimeSpan.FromMilliseconds(10) });

        HandshakePeers = new Checkers.HandshakePeerChecker(Network, Network.Violations);
        SessionPorts = new Checkers.SessionPortChecker(Network.Violations, Server.Name,
            options.SinglePort ? HandshakePort : (ushort)0, options.FirstPort, options.LastPort);
        Network.Trace.Observe(SessionPorts.OnWire);
        Reloads = new Checkers.ReloadChecker(Network, Network.Violations);
        Attacker = new SimAttacker(Network, Network.AddHost("attacker", SimAttacker.DefaultAddress)) { SwapsSessionIds = options.SinglePort };
        if (options.SinglePort)
            Network.Note($"{Server.Name} in one-port mode: every session on udp port {HandshakePort}");

        var keys = Network.Random.Fork("keys");
        var entries = new List<ClientEntry>();
        for (var i = 1; i <= options.ClientCount; i++)
        {
            var host = Network.AddHost($"pc{i}", ClientPublicAddress(i));
            host.Stack.RouteAllViaVpn = true;
            var key = new byte[32];
            keys.Fill(key);
            Network.Plaintext.AddSecret($"pre-shared key of pc{i}", key);
            entries.Add(new ClientEntry(host.Name, key));
            _configured.Add(entries[^1]);
            _clients.Add(new SeedClient(host, ClientOptions(host.Name, key)));
        }
        VpnServerOptions = ServerOptions(entries, Protocol.PushedSettings.None);
        Rekeys = new Checkers.RekeyChecker(Network, Network.Violations, VpnServerOptions.RekeyGrace, _clients.Select(c => c.Options.RekeyGrace).DefaultIfEmpty(VpnServerOptions.RekeyGrace).Min());
        PushedSettings = new Checkers.PushedSettingsChecker(Network, Network.Violations, VpnServerOptions.Pushed);
        if (options.ServerName is { } serverName)
            Network.SetName(serverName, ServerPublicAddress);
        if (options.Subnet6 is { } subnet6)
        {
            Network.AddAddress6(Internet, InternetAddress6);
            Network.Route6(subnet6, Server);
        }
        StartServer();
    }

    public SeedNetworkOptions Options { get; }
    public SimNetwork Network { get; }
    public SimClock Clock => Network.Clock;
    public SimHost Server { get; }
    public SimHost Internet { get; }

    /// <summary>An on-path attacker that can inject forged datagrams (<see cref="SimAttacker.Strike"/>).</summary>
    public SimAttacker Attacker { get; }
    /// <summary>Checks that each session a client reports was handshaken with the server (<see cref="MoveServer(IPv4Address, ServerNameUpdate, TimeSpan)"/>).</summary>
    public Checkers.HandshakePeerChecker HandshakePeers { get; }
    /// <summary>Checks that sessions use the ports of the server's mode and stay with their clients.</summary>
    public Checkers.SessionPortChecker SessionPorts { get; }

    /// <summary>Checks that retired keys stop opening after their grace and that asked rekeys happen (<see cref="RequestRekey"/>).</summary>
    public Checkers.RekeyChecker Rekeys { get; }

    /// <summary>Checks that clients a reload removed or re-keyed are out at once (<see cref="RemoveClient"/>, <see cref="ChangeKey"/>).</summary>
    public Checkers.ReloadChecker Reloads { get; }

    /// <summary>Checks that grants carry the pushed settings in effect (<see cref="Push"/>).</summary>
    public Checkers.PushedSettingsChecker PushedSettings { get; }

    /// <summary>The server's configuration: what a restarted server starts with; a reload changes its clients and pushed settings.</summary>
    public VpnServerOptions VpnServerOptions { get; private set; }
    public VpnServer? ServerEngine { get; private set; }
    public IReadOnlyList<SeedClient> Clients => _clients;
    public SeedClient Pc1 => _clients[0];
    public SeedClient Pc2 => _clients[1];
    public IPv4Address ServerVpnAddress => VpnServerOptions.EffectiveServerAddress;

    /// <summary>The server's IPv6 address in the VPN; null without IPv6.</summary>
    public IPv6Address? ServerVpnAddress6 => VpnServerOptions.EffectiveServerAddress6;

    public static SeedNetwork Build(ulong seed, SeedNetworkOptions? options = null) => new(seed, options ?? new SeedNetworkOptions());

    /// <summary>Builds the network and connects every client in order; throws if one does not connect.</summary>
    public static SeedNetwork Connected(ulong seed, SeedNetworkOptions? options = null)
    {
        var network = Build(seed, options);
        foreach (var client in network.Clients)
        {
            if (!network.Connect(client, TimeSpan.FromSeconds(60)))
                throw new InvalidOperationException($"seed {seed}: {client.Name} did not connect within 60 s");
        }
        return network;
    }

    /// <summary>Starts the client's engine and runs until it has a session; false if it did not get one within <paramref name="limit"/>.</summary>
    public bool Connect(SeedClient client, TimeSpan limit)
    {
        var before = client.Connections;
        if (client.Engine is null)
            StartClient(client);
        return Clock.RunUntil(() => client.Connections > before, limit);
    }

    /// <summary>Creates the client's engine for the host's current generation and starts its first handshake.</summary>
    public void StartClient(SeedClient client)
    {
        var host = client.Host;
        client.RemovedWhileRunning = _removed.Contains(client.Name);
        var resolver = Options.ServerName is { } name ? new SimResolver(Network, name, HandshakePort) : null;
        var engine = new VpnClient(client.Options, host.Tun, host, host, host.Time,
            Network.Random.Fork($"engine:{host.Name}#{host.Generation}"), EngineLog.For<VpnClient>(host, Options.EngineLog), resolver);
        engine.Opened = sessionId => Rekeys.OnClientOpened(host.Name, sessionId);
        engine.Connected += grant =>
        {
            HandshakePeers.OnConnected(host, engine.Server, grant.SessionId, Server);
            SessionPorts.OnGranted(Network.Now, host.Name, grant);
            Rekeys.OnHandshake(host.Name);
            Reloads.OnClientConnected(host.Name, grant.SessionId);
            PushedSettings.OnClientConnected(host.Name, grant);
            client.Grant = grant;
            client.Connections++;
            host.Stack.Configure(grant.ClientAddress, grant.Subnet);
            if (grant.Ipv6 is { } ipv6)
                host.Stack.Configure6(ipv6.ClientAddress, ipv6.Subnet);
            Network.Note($"{host.Name} connected: {grant.ClientAddress}/{grant.PrefixLength} via server port {grant.Port}");
        };
        engine.AuthenticationFailed += reason =>
        {
            client.AuthenticationFailure = reason;
            Network.Note($"{host.Name} authentication failed: {reason}");
            OnRefused(client, engine);
        };
        client.Engine = engine;
        host.Tun.Readable = host.WhenAwake(engine.OnTunReadable);
        engine.Start();
    }

    /// <summary>Reboots s1: the engine is disposed, every socket and the NAT table go, and a new engine starts with the same options.</summary>
    public void RestartServer()
    {
        Rekeys.OnAllSessionsEnded();
        ServerEngine?.Dispose();
        _listening?.Dispose();
        Server.Restart();
        StartServer();
    }

    /// <summary>
    /// Disposes s1's engine and lets go of every reference the world has to it (listener, tun callback),
    /// so only what the engine alone held becomes garbage: for <see cref="ServerFootprint"/>. The server stays down.
    /// </summary>
    public void DetachServer()
    {
        ServerEngine?.Dispose();
        ServerEngine = null;
        _listening?.Dispose();
        _listening = null;
        Server.Tun.Readable = null;
    }

    /// <summary>Reboots a client machine: its engine is disposed, its tun unconfigured, and a new engine starts.</summary>
    public void RestartClient(SeedClient client)
    {
        Rekeys.OnSessionEnded(client.Name);
        client.Engine?.Dispose();
        client.Engine = null;
        client.Grant = null;
        client.AuthenticationFailure = null;
        client.Host.Restart();
        StartClient(client);
    }

    /// <summary>
    /// s1 moves: it gets <paramref name="address"/> (its connections break, datagrams to the old address are
    /// lost), reboots, and, with <see cref="SeedNetworkOptions.ServerName"/>, the name follows as
    /// <paramref name="update"/> says: at once, or only after <paramref name="lag"/> (resolving to nothing, or
    /// to the old address, meanwhile). <see cref="Heal"/> brings a lagging name up to date.
    /// </summary>
    public void MoveServer(IPv4Address address, ServerNameUpdate update = ServerNameUpdate.AtOnce, TimeSpan lag = default)
    {
        var old = Server.Address;
        Network.ChangeAddress(Server, address);
        RestartServer();
        if (Options.ServerName is not { } name)
            return;
        switch (update)
        {
            case ServerNameUpdate.AtOnce:
                Network.SetName(name, address);
                return;
            case ServerNameUpdate.Late:
                Network.SetName(name, null);
                break;
            case ServerNameUpdate.Stale:
                TakeOverOldAddress(old);
                break;
        }
        Clock.Schedule(lag, PointNameAtServer);
    }

    /// <summary>The next address of s1's block that it has not had yet (198.51.100.2, .3, …).</summary>
    public IPv4Address NextServerAddress() => new(_nextServerAddress++);

    /// <summary>The server's name resolves to where the server is now (a dynamic DNS update arriving), if it does not already.</summary>
    public void PointNameAtServer()
    {
        if (Options.ServerName is { } name && Network.LookUp(name) != Server.Address)
            Network.SetName(name, Server.Address);
    }

    /// <summary>Another machine gets the address s1 left and accepts on the handshake port without ever answering.</summary>
    private void TakeOverOldAddress(IPv4Address old)
    {
        if (_staleHost is null)
        {
            _staleHost = Network.AddHost("stale", old);
            _staleHost.Listen(HandshakePort, new SilentListener());
        }
        else
        {
            Network.ChangeAddress(_staleHost, old);
        }
    }

    /// <summary>The client's public address changes (NAT rebinding); returns the new address.</summary>
    public IPv4Address Roam(SeedClient client)
    {
        var address = new IPv4Address(_nextRoamingAddress++);
        Network.ChangeAddress(client.Host, address);
        return address;
    }

    /// <summary>
    /// Cuts the client off from the server, both ways, for <paramref name="duration"/> (datagrams are
    /// lost; stream segments wait for TCP's next retransmission after it) or until the network heals.
    /// </summary>
    public void Partition(SeedClient client, TimeSpan duration)
    {
        Network.Note($"partition {client.Name} <-> {Server.Name} for {duration.TotalSeconds:0.0} s");
        Network.Partition(client.Host, Server, duration);
    }

    /// <summary>
    /// <paramref name="host"/>'s UDP sends fail as <paramref name="fault"/> says for <paramref name="duration"/>, or
    /// until the network heals (a later fault on the same host replaces this one).
    /// </summary>
    public void FailSends(SimHost host, SimSendFault fault, TimeSpan duration)
    {
        Network.Note($"{host.Name} UDP sends fail ({fault}) for {duration.TotalSeconds:0.0} s");
        host.SendFault = fault;
        Clock.Schedule(duration, () => EndSendFault(host, fault));
    }

    private void EndSendFault(SimHost host, SimSendFault fault)
    {
        if (host.SendFault != fault)
            return;
        host.SendFault = null;
        Network.Note($"{host.Name} UDP sends work again");
    }

    /// <summary>Turns every fault off (the liveness phase).</summary>
    public void Heal()
    {
        Network.Note("network healed: faults off");
        Network.SetFaultsEverywhere(LinkFaults.None);
        foreach (var host in Network.Hosts)
        {
            host.Resume();
            host.EndStreamCuts();
            host.SendFault = null;
        }
        Network.ReleaseStalls(long.MaxValue);
        EndTunFaults();
        PointNameAtServer();
        RestoreRemovedClients();
    }

    private void StartServer()
    {
        // a daemon starting reads the configuration as it is: a reload that waited for the old one is in effect now
        PushedSettings.Set(VpnServerOptions.Pushed);
        foreach (var entry in _configured)
        {
            if (_removed.Contains(entry.Name))
                Reloads.Removed(entry.Name);
            else
                Reloads.Restored(entry.Name);
        }
        Server.Stack.Configure(VpnServerOptions.EffectiveServerAddress, VpnServerOptions.Subnet);
        if (VpnServerOptions.Subnet6 is { } subnet6)
            Server.Stack.Configure6(VpnServerOptions.EffectiveServerAddress6!.Value, subnet6);
        Server.Stack.EnableForwarding();
        var engine = new VpnServer(VpnServerOptions, Server.Tun, Server, Server.Time,
            Network.Random.Fork($"engine:{Server.Name}#{Server.Generation}"), EngineLog.For<VpnServer>(Server, Options.EngineLog));
        engine.Opened = (name, sessionId) =>
        {
            Rekeys.OnServerOpened(name, sessionId);
            Reloads.OnServerOpened(name, sessionId);
        };
        engine.Granted = (name, grant) =>
        {
            HandshakePeers.OnGranted(name, grant.SessionId, Server, HandshakePort);
            Rekeys.OnGranted(name, grant.SessionId);
            Reloads.OnGranted(name, grant.SessionId);
            PushedSettings.OnGranted(name, grant);
        };
        ServerEngine = engine;
        Server.Tun.Readable = Server.WhenAwake(engine.OnTunReadable);
        _listening = Server.Listen(HandshakePort, engine);
    }

    /// <summary>The server's options for a configuration that lists <paramref name="clients"/> and pushes <paramref name="pushed"/>.</summary>
    private VpnServerOptions ServerOptions(IReadOnlyList<ClientEntry> clients, Protocol.PushedSettings pushed) => new()
    {
        Subnet = Options.Subnet,
        Clients = clients,
        FirstPort = Options.FirstPort,
        LastPort = Options.LastPort,
        MaxPendingHandshakes = Options.MaxPendingHandshakes,
        RekeyInterval = Options.RekeyInterval,
        KeyLog = Options.KeyLog,
        SinglePort = Options.SinglePort ? HandshakePort : (ushort)0,
        Subnet6 = Options.Subnet6,
        Pushed = pushed,
    };

    /// <summary>A client's options: the server's address, its name and key.</summary>
    private VpnClientOptions ClientOptions(string name, byte[] key) => new()
    {
        Server = new NetEndpoint(ServerPublicAddress, HandshakePort),
        Name = name,
        Key = key,
        KeyLog = Options.KeyLog,
    };

    private static IPv4Address ClientPublicAddress(int index) =>
        index < 250 ? new IPv4Address(IPv4Address.Parse("203.0.113.0").Value + (uint)index)
                    : new IPv4Address(IPv4Address.Parse("100.64.0.0").Value + (uint)index);
}

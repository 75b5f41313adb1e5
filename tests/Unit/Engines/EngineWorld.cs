using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using MyVpn.Client;
using MyVpn.Io;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Server;
using MyVpn.Tests.Unit.Support;

namespace MyVpn.Tests.Unit.Engines;

/// <summary>A server and named clients over a <see cref="ChannelNetwork"/>, on a fake clock.</summary>
public sealed class EngineWorld : IDisposable
{
    public static readonly NetEndpoint ServerEndpoint = NetEndpoint.Parse("198.51.100.1:9525");

    public ChannelNetwork Network { get; } = new();
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    public ChannelTun ServerTun { get; } = new();
    public VpnServerOptions Options { get; }
    public VpnServer Server { get; private set; }
    public Dictionary<string, (VpnClient Engine, ChannelTun Tun, ChannelHost Host)> Clients { get; } = [];
    private int _seed;

    public EngineWorld(params string[] names)
        : this(new VpnServerOptions { Clients = names.Select((n, i) => new ClientEntry(n, Handshakes.Key((byte)(i + 1)))).ToList() })
    {
    }

    /// <param name="serverRandom">The first server's random source (default: a <see cref="TestRandom"/>).</param>
    /// <param name="serverLogger">Where the servers log (default: nowhere).</param>
    /// <param name="serverBinder">
    /// Opens the servers' session ports, given the world's own binder for the server's address (default: that binder).
    /// </param>
    public EngineWorld(VpnServerOptions options, IRandomSource? serverRandom = null, ILogger<VpnServer>? serverLogger = null,
        Func<IDatagramBinder, IDatagramBinder>? serverBinder = null)
    {
        Options = options;
        _serverRandom = serverRandom;
        _serverLogger = serverLogger;
        var host = Network.Host("198.51.100.1");
        _serverBinder = serverBinder?.Invoke(host) ?? host;
        Server = StartServer();
    }

    private IRandomSource? _serverRandom;
    private readonly ILogger<VpnServer>? _serverLogger;
    private readonly IDatagramBinder _serverBinder;

    public VpnServer StartServer()
    {
        var random = _serverRandom ?? new TestRandom(1000 + _seed++);
        _serverRandom = null;
        var server = new VpnServer(Options, ServerTun, _serverBinder, Time, random, _serverLogger);
        Network.Listen(ServerEndpoint, server);
        return server;
    }

    public void RestartServer()
    {
        Network.StopListening(ServerEndpoint);
        Server.Dispose();
        Server = StartServer();
    }

    public VpnClient Connect(string name, byte? keyFill = null, string? publicAddress = null, Action<VpnClient>? beforeStart = null,
        Microsoft.Extensions.Logging.ILogger<VpnClient>? logger = null)
    {
        var index = Options.Clients.ToList().FindIndex(c => c.Name == name);
        var key = Handshakes.Key(keyFill ?? (byte)(index + 1));
        var tun = new ChannelTun();
        var host = Network.Host(publicAddress ?? $"192.0.2.{10 + Clients.Count}");
        var client = new VpnClient(new VpnClientOptions { Server = ServerEndpoint, Name = name, Key = key },
            tun, host, host, Time, new TestRandom(_seed++), logger);
        Clients[name] = (client, tun, host);
        beforeStart?.Invoke(client);
        client.Start();
        Network.Pump();
        return client;
    }

    /// <summary>A packet from a client's kernel into its tun.</summary>
    public void SendFrom(string name, byte[] packet)
    {
        var (engine, tun, _) = Clients[name];
        tun.Inject(packet);
        engine.OnTunReadable();
        Network.Pump();
    }

    /// <summary>Advances the clock in small steps, delivering everything after each.</summary>
    public void Run(TimeSpan span, TimeSpan? step = null)
    {
        var s = step ?? TimeSpan.FromSeconds(1);
        for (var t = TimeSpan.Zero; t < span; t += s)
        {
            Time.Advance(s);
            Network.Pump();
        }
    }

    public void Dispose()
    {
        foreach (var (engine, _, _) in Clients.Values)
            engine.Dispose();
        Server.Dispose();
    }
}

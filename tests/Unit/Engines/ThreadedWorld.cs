using Microsoft.Extensions.Time.Testing;
using MyVpn.Client;
using MyVpn.Server;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Engines;

/// <summary>
/// A server and clients on a <see cref="ThreadedNetwork"/>: every socket has a reader thread of its own,
/// and the test's threads play the tun pollers. Handshakes and the fake clock stay on the test's thread
/// (the control plane), as a host's timer and handshake threads are separate from its pollers.
/// </summary>
public sealed class ThreadedWorld : IDisposable
{
    public static readonly TimeSpan Stall = TimeSpan.FromSeconds(60);

    private int _seed;

    public ThreadedWorld(params string[] names)
    {
        // rekeys need the handshake stream pumped, which these tests do only when they connect: they are
        // tested on their own (RekeyTests, the simulator), here they would only end sessions at the deadline
        Options = new VpnServerOptions
        {
            Clients = names.Select((n, i) => new ClientEntry(n, Handshakes.Key((byte)(i + 1)))).ToList(),
            RekeyInterval = TimeSpan.FromHours(1),
        };
        Server = new VpnServer(Options, ServerTun, Network.Host("198.51.100.1"), Time, new TestRandom(1000));
        Network.Streams.Listen(EngineWorld.ServerEndpoint, Server);
    }

    public ThreadedNetwork Network { get; } = new();
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    public ThreadedTun ServerTun { get; } = new();
    public VpnServerOptions Options { get; }
    public VpnServer Server { get; }
    public List<(VpnClient Engine, ThreadedTun Tun)> Clients { get; } = [];

    /// <summary>Connects a client (the handshake runs on this thread) and waits until the server knows its endpoint.</summary>
    public (VpnClient Engine, ThreadedTun Tun) Connect(string name)
    {
        var index = Options.Clients.ToList().FindIndex(c => c.Name == name);
        var tun = new ThreadedTun();
        var host = Network.Host($"192.0.2.{10 + Clients.Count}");
        var client = new VpnClient(new VpnClientOptions { Server = EngineWorld.ServerEndpoint, Name = name, Key = Handshakes.Key((byte)(index + 1)) },
            tun, host, host, Time, new TestRandom(_seed++));
        Clients.Add((client, tun));
        client.Start();
        Network.Streams.Pump();
        Assert.True(client.IsConnected, $"{name} did not connect");
        var port = client.Grant!.Port;
        // the client's first keepalive tells the server where it is, through the socket threads
        Assert.True(SpinWait.SpinUntil(() => Server.Sessions.Any(s => s.Port == port && s.Endpoint.Port != 0), Stall),
            $"the server never heard from {name}");
        return (client, tun);
    }

    /// <summary>
    /// Plays a tun poller on its own thread: injects the packets a chunk at a time and lets the engine
    /// drain them, keeping at most <paramref name="window"/> packets of <paramref name="paced"/> in flight.
    /// </summary>
    public static Thread Drive(string name, ThreadedTun tun, Action onTunReadable, IReadOnlyList<byte[]> packets,
        (FlowRecorder At, int Flow, Func<int, int> Expected)? paced, List<Exception> failures, int chunk = 32, int window = 1000)
    {
        return Start(name, failures, () =>
        {
            for (var start = 0; start < packets.Count; start += chunk)
            {
                var end = Math.Min(start + chunk, packets.Count);
                for (var i = start; i < end; i++)
                    tun.Inject(packets[i]);
                onTunReadable();
                if (paced is { } p && !p.At.WaitFor(p.Flow, p.Expected(end) - window, Stall))
                    throw new TimeoutException($"{name}: flow {p.Flow} stalled at {p.At.Count(p.Flow)}");
            }
        });
    }

    /// <summary>Runs <paramref name="body"/> on a background thread of its own; an exception it throws is added to <paramref name="failures"/>.</summary>
    public static Thread Start(string name, List<Exception> failures, Action body)
    {
        var thread = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (Exception e)
            {
                lock (failures)
                    failures.Add(e);
            }
        })
        { IsBackground = true, Name = name };
        thread.Start();
        return thread;
    }

    public void Dispose()
    {
        foreach (var (engine, _) in Clients)
            engine.Dispose();
        Server.Dispose();
        Network.Dispose();
    }
}

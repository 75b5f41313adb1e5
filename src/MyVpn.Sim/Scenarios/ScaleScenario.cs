using MyVpn.Net;

namespace MyVpn.Sim.Scenarios;

/// <summary>
/// N clients against one server on the simulator: every client connects, pings the server and the next
/// client (through the server), then all sessions sit idle, keepalives only, for longer than the server's
/// session timeout (so a session survives only if its keepalives work), and every client pings again.
/// Optionally measures the server engine's memory per idle session (<see cref="ServerFootprint"/>),
/// which takes the server out of the world, so it is the last step.
/// </summary>
internal static class ScaleScenario
{
    private static readonly TimeSpan PingWait = TimeSpan.FromSeconds(5);

    /// <param name="measureMemory">Also measure the server engine's footprint (and an empty server's, to subtract).</param>
    /// <param name="progress">Where each phase is reported as it ends, if anywhere.</param>
    public static ScaleReport Run(ulong seed, int clients, bool measureMemory, TextWriter? progress = null)
    {
        // No rekey while the run lasts: a session that handshakes again during the idle period was lost (rekeys have their own scenarios).
        var options = SeedNetworkOptions.Scale(clients) with { RekeyInterval = TimeSpan.FromHours(1) };
        // The empty server first: its share is subtracted later, and measuring it runs (and compiles) the
        // measuring code once, so the runtime's own C-heap use for that does not land between the two real readings.
        var empty = measureMemory ? ServerFootprint.MeasureAndDetach(SeedNetwork.Build(seed, options with { ClientCount = 0 })) : null;
        var net = SeedNetwork.Connected(seed, options);
        var connectedBy = net.Clock.Elapsed;
        progress?.WriteLine($"{clients} clients connected by t={Trace.FormatTime(net.Network.Now)}");

        var toServer = PingAll(net, _ => net.ServerVpnAddress);
        var toPeer = PingAll(net, i => net.Clients[(i + 1) % clients].VpnAddress);
        progress?.WriteLine($"{toServer}/{clients} pings to {net.ServerVpnAddress} answered, {toPeer}/{clients} from each client to the next");

        var connections = net.Clients.Select(c => c.Connections).ToArray();
        var idle = net.VpnServerOptions.SessionTimeout + 3 * net.VpnServerOptions.KeepaliveInterval;
        var (keptAlive, keptAliveByServer, datagrams) = HoldIdle(net, idle);
        var reconnected = net.Clients.Where((c, i) => c.Connections != connections[i]).Count();
        var sessions = ServerFootprint.SessionCount(net);
        progress?.WriteLine($"idle {idle.TotalSeconds:0} s (the session timeout is {net.VpnServerOptions.SessionTimeout.TotalSeconds:0} s): " +
                            $"{datagrams} datagrams, {keptAlive}/{clients} clients sent keepalives, {keptAliveByServer}/{clients} got them; " +
                            $"{reconnected} reconnected; the server holds {sessions} sessions");
        var afterIdle = PingAll(net, _ => net.ServerVpnAddress);
        progress?.WriteLine($"{afterIdle}/{clients} pings to {net.ServerVpnAddress} answered after the idle period");
        var violation = net.Network.Violations.First;
        var events = net.Clock.Events.Executed;

        var footprint = measureMemory ? ServerFootprint.MeasureAndDetach(net) : null;
        return new ScaleReport
        {
            Clients = clients,
            ConnectedBy = connectedBy,
            ServerPingsAnswered = toServer,
            PeerPingsAnswered = toPeer,
            Idle = idle,
            SessionTimeout = net.VpnServerOptions.SessionTimeout,
            ClientsKeptAlive = keptAlive,
            ClientsKeptAliveByServer = keptAliveByServer,
            IdleDatagrams = datagrams,
            Reconnected = reconnected,
            ServerSessions = sessions,
            PingsAnsweredAfterIdle = afterIdle,
            Violation = violation,
            Events = events,
            Footprint = footprint,
            EmptyFootprint = empty,
        };
    }

    /// <summary>Every client pings its target at once; how many were answered within <see cref="PingWait"/>.</summary>
    private static int PingAll(SeedNetwork net, Func<int, IPv4Address?> target)
    {
        var pings = net.Clients.Select((c, i) => target(i) is { } address ? net.Network.StartPing(c.Host, address) : null).ToList();
        net.Clock.RunFor(PingWait);
        return pings.Count(p => p is { Replied: true });
    }

    /// <summary>Runs <paramref name="idle"/> with no traffic but the engines' own, counting datagrams between each client and the server.</summary>
    private static (int ClientsSent, int ClientsReceived, long Datagrams) HoldIdle(SeedNetwork net, TimeSpan idle)
    {
        var index = net.Clients.Select((c, i) => (c.Host, i)).ToDictionary(x => x.Host, x => x.i);
        var sent = new int[net.Clients.Count];
        var received = new int[net.Clients.Count];
        long datagrams = 0;
        var previous = net.Network.DatagramSent;
        net.Network.DatagramSent = (host, source, target, bytes, copies) =>
        {
            previous?.Invoke(host, source, target, bytes, copies);
            if (host == net.Server && net.Network.HostAt(target.Address) is { } client && index.TryGetValue(client, out var to))
            {
                received[to]++;
                datagrams++;
            }
            else if (target.Address == SeedNetwork.ServerPublicAddress && index.TryGetValue(host, out var from))
            {
                sent[from]++;
                datagrams++;
            }
        };
        net.Clock.RunFor(idle);
        net.Network.DatagramSent = previous;
        return (sent.Count(n => n > 0), received.Count(n => n > 0), datagrams);
    }
}

using Microsoft.Extensions.Logging;
using MyVpn.Cli.Status;
using MyVpn.Linux;
using MyVpn.Linux.Offload;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Server;

namespace MyVpn.Cli.Hosting;

/// <summary>
/// Runs the server: claims the undo journal (cleaning up after a crashed run), creates the tun
/// device, enables forwarding, installs MyVpn's nftables table (reach policy, NAT) and with IPv6 inside the
/// tunnel its ip6 table (<see cref="ServerIpv6"/>), gathers the host's
/// own addresses for the router's policy, wires the engine to the poller, UDP binder and TCP listener,
/// then waits for SIGINT/SIGTERM and undoes everything it did.
/// </summary>
internal static class ServerHost
{
    /// <param name="reread">Reads the configuration again for a reload (the file and the start's flags); null: no reload.</param>
    /// <param name="source">What a reload re-reads, for its log lines: the config file, or the key file.</param>
    public static int Run(ServerConfig settings, ILoggerFactory loggers, Func<ServerConfig>? reread = null, string? source = null)
    {
        var logger = loggers.CreateLogger("myvpn.server");
        RootCheck.Require("server");
        using var shutdown = new ShutdownSignal();
        using var systemd = SystemdService.FromEnvironment(logger);
        var journal = UndoJournal.Claim(settings.Tun, logger);
        ServerReloader? reloader = null;
        var exitCode = ExitCodes.Ok;
        try
        {
            var offloads = new Offloads(settings.Offload, logger);
            using var tun = TunOpener.Open(settings.Tun, offloads);
            offloads.ProbeUdp();
            ServerNetwork.ConfigureTun(tun.Name, settings.ServerAddress, settings.Subnet.PrefixLength, settings.Mtu, ServerIpv6.TunAddress(settings));
            ServerNetwork.EnableForwarding(journal);
            var table = ServerNetwork.InstallTable(journal, new NftPolicy(tun.Name, settings.Subnet, settings.ServerAddress,
                [.. ReachPolicy.BlockedByDefault, .. settings.Block], settings.Allow, settings.ClientToClient, settings.Masquerade));
            HostLog.Policy(logger, table, settings.Block.Count, settings.Allow.Count, settings.ClientToClient ? "yes" : "no");
            if (settings.Masquerade is { } outInterface)
                HostLog.Masquerading(logger, settings.Subnet, outInterface, table);
            var hostAddresses = HostAddresses.Read(); // after the tun is configured: its address is one of them
            var hostAddresses6 = ServerIpv6.Install(settings, tun.Name, journal, logger);

            using var keyLog = KeyLogFile.Open(settings.KeyLog, logger);
            var options = settings.ToOptions(keyLog is null ? null : keyLog.Write, hostAddresses, hostAddresses6);
            using var events = new HostEvents();
            var tunLoss = new TunLoss(tun, events, logger, status =>
            {
                exitCode = status;
                events.Stop();
            });
            // one I/O thread, or tun on one thread and sessions' sockets on up to PollerSet.MaxSocketThreads others
            using var pollers = new PollerSet(loggers, PollerSet.ServerSocketThreads(settings.Threads, Environment.ProcessorCount));
            var binder = new LinuxUdpBinder(pollers.Sockets, settings.Listen, offloads);
            using var server = new VpnServer(options, tun, binder, TimeProvider.System, SystemRandomSource.Instance,
                loggers.CreateLogger<VpnServer>());
            using var tunWatch = tunLoss.Watching(pollers.Tun.Watch(tun.Handle, server.OnTunReadable));
            using var status = new StatusSignal(logger, server.Drops);
            using var metrics = MetricsExport.Start(settings.MetricsListen, () => Metrics.VpnMeter.ForServer(server), logger);
            // the listener's limits are a backstop behind the engine's: a finished connection may still be
            // draining when the same address connects again, hence the slack
            using var listener = TcpHandshakeListener.Start(settings.Listen, server, options.MaxPendingHandshakes,
                2 * options.MaxHandshakesPerSource, options.HandshakeTimeout + TimeSpan.FromSeconds(5), TimeProvider.System,
                loggers.CreateLogger("myvpn.listener"));
            var reloads = new ServerReloader(settings, reread ?? (() => settings), server, source ?? "the configuration", logger);
            reloader = reloads;
            // the control socket's commands, by name (myvpn status, myvpn reload): add before it starts
            var commands = new Dictionary<string, Func<string, string>>(StringComparer.Ordinal)
            {
                ["status"] = _ => StatusReports.Reply(StatusReports.ForServer(settings, tun.Name, Environment.ProcessId, server.Sessions, server.Traffic, server.Drops)),
                ["reload"] = _ => systemd.Reload(reloads.Reload),
            };
            using var control = ControlSocket.Start(ControlSocket.PathFor(tun.Name), commands, logger);
            HostLog.ServerUp(logger, tun.Name, settings.ServerAddress, settings.Subnet.PrefixLength, settings.Mtu,
                settings.Listen, settings.SessionPorts, settings.Clients.Count,
                settings.SharedKey is null ? "off" : $"on (any other name, at most {settings.MaxSessions} sessions)");
            offloads.LogSummary();
            HostLog.IoThreads(logger, pollers.Layout);
            systemd.Ready($"{tun.Name} {settings.ServerAddress}/{settings.Subnet.PrefixLength}, handshakes on tcp {settings.Listen}", pollers);

            // SIGHUP reloads on this thread, between the waits for a stop
            using var hangup = new ReloadSignal(() => events.Post(() => systemd.Reload(reloads.Reload)));
            using var stop = shutdown.Token.Register(events.Stop);
            events.RunUntilStopped();
            systemd.Stopping("stopping: removing the tun device, routes and nftables table");
            HostLog.Stopping(logger);
        }
        finally
        {
            journal.UndoAll();
            (reloader?.Running ?? settings).WipeKeys();
        }
        HostLog.Stopped(logger);
        return exitCode;
    }
}

using Microsoft.Extensions.Logging;
using MyVpn.Client;
using MyVpn.Cli.Status;
using MyVpn.Linux;
using MyVpn.Linux.Offload;
using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Cli.Hosting;

/// <summary>
/// Runs the client: creates the tun device, starts the engine, and on each session grant configures
/// the tun address (and its IPv6 address when the grant has one), MTU and routes (the engine raises its events under its lock, so the host only
/// queues them and applies them on the main thread). Exits 3 when the server refuses the key before
/// the first session of the run is up (the engine never reports a refusal after that: it retries), 0
/// on SIGINT/SIGTERM, undoing its routes either way.
/// </summary>
internal static class ClientHost
{
    public static int Run(ClientConfig settings, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("myvpn.client");
        RootCheck.Require("client");
        // an address is used as it is; a name is looked up before each connection (never an exit when that fails)
        var literal = settings.ServerAddress();
        var (serverHost, serverPort) = settings.SplitServer();
        var resolver = literal is null ? new SystemServerResolver(serverHost, serverPort) : null;
        using var shutdown = new ShutdownSignal();
        using var systemd = SystemdService.FromEnvironment(logger);
        var journal = UndoJournal.Claim(settings.Tun, logger);
        try
        {
            var offloads = new Offloads(settings.Offload, logger);
            using var tun = TunOpener.Open(settings.Tun, offloads);
            offloads.ProbeUdp();
            var network = new ClientNetwork(tun.Name, journal);
            var pushed = new PushedApplier(settings, network, new ClientDns(tun.Name, journal), logger);
            using var events = new HostEvents();
            var exitCode = ExitCodes.Ok;

            // one I/O thread, or tun→server on one thread and server→tun on another
            using var pollers = new PollerSet(loggers, PollerSet.ClientSocketThreads(settings.Threads, Environment.ProcessorCount));
            // a full tunnel's rules let the client's own marked packets reach the server outside the tunnel
            var mark = settings.DefaultRoute ? settings.FirewallMark : 0;
            var binder = new LinuxUdpBinder(pollers.Sockets, null, offloads) { FirewallMark = mark };
            using var keyLog = KeyLogFile.Open(settings.KeyLog, logger);
            // the path MTU only towards an address given as such (a name's address is known at the first lookup)
            var options = settings.ToOptions(literal ?? default, keyLog is null ? null : keyLog.Write, literal is { } at ? PathMtu.Towards(at) : null);
            var connector = new TcpStreamConnector(options.HandshakeTimeout, TimeProvider.System) { FirewallMark = mark, Logger = logger };
            using var client = new VpnClient(options, tun, binder, connector, TimeProvider.System,
                SystemRandomSource.Instance, loggers.CreateLogger<VpnClient>(), resolver);
            client.Connected += grant =>
            {
                var server = client.Server; // the address this session's handshake went to (under the engine's lock)
                events.Post(() => OnConnected(grant, server));
            };
            // Only on the first connection of the run: the engine has logged the reason; the exit
            // status tells scripts and systemd not to retry. Later refusals are retried by the engine.
            client.AuthenticationFailed += _ => events.Post(() =>
            {
                exitCode = ExitCodes.AuthenticationFailed;
                events.Stop();
            });
            var tunLoss = new TunLoss(tun, events, logger, status =>
            {
                exitCode = status;
                events.Stop();
            });
            using var tunWatch = tunLoss.Watching(pollers.Tun.Watch(tun.Handle, client.OnTunReadable));
            using var status = new StatusSignal(logger, client.Drops);
            using var metrics = MetricsExport.Start(settings.MetricsListen, () => Metrics.VpnMeter.ForClient(client), logger);
            using var stop = shutdown.Token.Register(events.Stop);
            using var hangup = new ReloadSignal(() => HostLog.ClientReloadUnsupported(logger));
            // the control socket's commands, by name (myvpn status): add before it starts
            var commands = new Dictionary<string, Func<string, string>>(StringComparer.Ordinal)
            {
                ["status"] = _ => StatusReports.Reply(StatusReports.ForClient(settings, tun.Name, Environment.ProcessId, ServerText(), client.Status, client.Drops)),
                ["reload"] = _ => "error: the client does not reload its configuration; restart it to apply a change",
            };
            using var control = ControlSocket.Start(ControlSocket.PathFor(tun.Name), commands, logger);
            HostLog.ClientStarted(logger, settings.Name, tun.Name, settings.Server);
            offloads.LogSummary();
            HostLog.IoThreads(logger, pollers.Layout);
            systemd.Status($"connecting to {settings.Server}");
            client.Start();

            events.RunUntilStopped();
            systemd.Stopping("stopping: removing the routes");
            if (exitCode == ExitCodes.Ok)
                HostLog.Stopping(logger);
            return exitCode;

            // the server as configured; for a name, with the address it has now
            string ServerText() => literal is { } address ? address.ToString() : $"{settings.Server} ({client.Server})";

            void OnConnected(SessionGrant grant, NetEndpoint server)
            {
                (System.Net.IPAddress Address, int PrefixLength)? ipv6 = grant.Ipv6 is { } six ? (six.ClientAddress.ToIPAddress(), six.PrefixLength) : null;
                var changed = network.Apply(grant.ClientAddress, grant.PrefixLength, grant.Mtu, ipv6);
                if (changed)
                {
                    HostLog.TunnelUp(logger, tun.Name, grant.ClientAddress, grant.PrefixLength, grant.Mtu, grant.ServerAddress, grant.Port);
                    if (ipv6 is { } address6)
                        HostLog.TunnelIpv6(logger, tun.Name, address6.Address, address6.PrefixLength);
                }
                // IPv6 into the tunnel once the tun device has the session's IPv6 address; refused until then
                if (settings.DefaultRoute && network.RouteAllTraffic(mark, network.CarriesIPv6))
                    HostLog.FullTunnel(logger, tun.Name, network.CarriesIPv6 ? "IPv6" : "IPv6 refused (the session has no IPv6 address)", mark);
                pushed.Apply(grant.Pushed, server); // once per distinct set: a rekey pushing the same changes nothing
                if (changed)
                    systemd.Ready($"connected to {server}: {tun.Name} {grant.ClientAddress}/{grant.PrefixLength}", pollers);
            }
        }
        finally
        {
            settings.WipeKeys();
            journal.UndoAll();
            HostLog.Stopped(logger);
        }
    }
}

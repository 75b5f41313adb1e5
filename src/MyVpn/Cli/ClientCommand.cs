using System.CommandLine;
using MyVpn.Cli.Hosting;

namespace MyVpn.Cli;

/// <summary><c>myvpn client</c>: flags or a TOML file (flags win), then the client host.</summary>
internal static class ClientCommand
{
    public static Command Build()
    {
        var config = new Option<string>("--config", "-c") { Description = "Read settings from this TOML file (see examples/client.toml); flags override it", HelpName = "FILE" };
        var server = new Option<string>("--server") { Description = $"The server's handshake address: a host name or IPv4 address, port {Defaults.HandshakePort} if left out", HelpName = "HOST[:PORT]" };
        var keyFile = new Option<string>("--key-file") { Description = "This client's pre-shared key file (mode 0600)", HelpName = "FILE" };
        var name = new Option<string>("--name") { Description = $"The name the server knows this client by [default: {Defaults.ClientNameHelp}]", HelpName = "NAME" };
        var defaultRoute = new Option<bool>("--default-route") { Description = "Send all traffic through the tunnel, the server's address included: policy rules send every packet but the client's own (marked --fwmark) to a table whose default route is the tun device; IPv6 too, refused when the session has no IPv6 address" };
        var fwmark = new Option<string>("--fwmark") { Description = $"With --default-route: the firewall mark of the client's own sockets and the number of the routing table it adds [default: {Linux.FullTunnelRouting.DefaultMark}]", HelpName = "N" };
        var tun = new Option<string>("--tun") { Description = $"Name of the tun device to create or attach [default: {Defaults.Tun}]", HelpName = "NAME" };
        var noOffload = new Option<bool>("--no-offload") { Description = "Use no kernel offloads (tun TSO/checksum, UDP GSO/GRO): every packet and datagram moves on its own" };
        var threads = new Option<string>("--threads") { Description = "I/O threads: 1 runs both directions on one thread (lowest latency and CPU); 2 puts the tun device and the UDP socket on threads of their own; auto: 1 on a machine with 2 CPUs or fewer, else 2 [default: auto]", HelpName = "auto|N" };
        var noPushedRoutes = new Option<bool>("--no-pushed-routes") { Description = "Install none of the routes the server pushes (as OpenVPN's route-nopull); the VPN subnet is still routed" };
        var noPushedDns = new Option<bool>("--no-pushed-dns") { Description = "Leave this host's resolver alone whatever DNS servers and search domains the server pushes" };
        var mtu = new Option<string>("--mtu") { Description = "The most this client's tun MTU may be; the tun gets the lower of this and the server's [default: the kernel's path MTU towards the server less the tunnel's overhead, 60 bytes (80 over IPv6)]", HelpName = "BYTES" };
        var metricsListen = new Option<string>("--metrics-listen") { Description = $"Serve Prometheus metrics over HTTP on this address (GET /metrics); off unless given. A non-loopback address is reachable from the network [e.g. 127.0.0.1:{Defaults.MetricsPort}]", HelpName = "ADDRESS:PORT" };
        var keyLog = KeyLogOption.Create();
        var check = new Option<bool>("--check") { Description = $"Validate the configuration (the file, the key, every value; the server's name is not looked up) and exit without starting anything: prints 'FILE: ok' and exits 0, or the error and exits {ExitCodes.ConfigInvalid}; needs no root" };
        var logLevel = new Option<string>("--log-level") { Description = "trace, debug, info, warning or error [default: info]", HelpName = "LEVEL" };

        var command = new Command("client", """
            Connect to a VPN server (as root): creates the tun device, handshakes over TCP, then carries
            packets over UDP; re-handshakes with backoff when the server goes silent. Exits 3 if the
            server refuses the key. SIGINT/SIGTERM stop it and remove its routes; it does not reload on SIGHUP (restart it).
            """)
        {
            config, server, keyFile, name, defaultRoute, tun, noOffload, threads, logLevel, keyLog, metricsListen, check,
        };
        command.Options.Add(noPushedRoutes);
        command.Options.Add(noPushedDns);
        command.Options.Add(mtu);
        command.Options.Add(fwmark);
        command.SetAction(result =>
        {
            var flags = new ClientFlags(
                result.GetValue(config), result.GetValue(server), result.GetValue(keyFile), result.GetValue(name),
                result.GetValue(defaultRoute), result.GetValue(tun), result.GetValue(logLevel), result.GetValue(keyLog),
                result.GetValue(noOffload), result.GetValue(threads)) { MetricsListen = result.GetValue(metricsListen), Mtu = result.GetValue(mtu) };
            flags = flags with { NoPushedRoutes = result.GetValue(noPushedRoutes), NoPushedDns = result.GetValue(noPushedDns) };
            flags = flags with { FirewallMark = result.GetValue(fwmark) };
            return result.GetValue(check)
                ? CommandErrors.Check("client", result.InvocationConfiguration, () =>
                {
                    var settings = ClientConfig.Resolve(flags);
                    settings.WipeKeys();
                    return flags.Config ?? $"--key-file {flags.KeyFile}";
                })
                : CommandErrors.Run("client", () =>
                {
                    var settings = ClientConfig.Resolve(flags);
                    using var loggers = Logging.Create(settings.LogLevel);
                    return ClientHost.Run(settings, loggers);
                });
        });
        return command;
    }
}

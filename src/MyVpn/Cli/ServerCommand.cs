using System.CommandLine;
using MyVpn.Cli.Hosting;

namespace MyVpn.Cli;

/// <summary><c>myvpn server</c>: flags or a TOML file (flags win), then the server host.</summary>
internal static class ServerCommand
{
    public static Command Build()
    {
        var config = new Option<string>("--config", "-c") { Description = "Read settings from this TOML file (see examples/server.toml); flags override it", HelpName = "FILE" };
        var listen = new Option<string>("--listen") { Description = $"TCP address and port for handshakes; UDP session ports are bound on the same address [default: {Defaults.Listen}]", HelpName = "ADDRESS:PORT" };
        var subnet = new Option<string>("--subnet") { Description = $"The VPN subnet; the server takes its first address [default: {Defaults.Subnet}]", HelpName = "CIDR" };
        var keyFile = new Option<string>("--key-file") { Description = "Shared pre-shared key file (mode 0600): a client with any name not listed in [[clients]] authenticates with this key (without a config, every client does); each name holds one session at a time", HelpName = "FILE" };
        var ports = new Option<string>("--ports") { Description = $"UDP ports for sessions, one per client [default: {Defaults.Ports}]", HelpName = "FIRST-LAST" };
        var masquerade = new Option<string>("--masquerade") { Description = "Give clients the internet: MASQUERADE the VPN subnet out of this interface (nftables table 'myvpn_<tun>')", HelpName = "IFACE" };
        var tun = new Option<string>("--tun") { Description = $"Name of the tun device to create or attach [default: {Defaults.Tun}]", HelpName = "NAME" };
        var mtu = new Option<string>("--mtu") { Description = $"MTU of the tun devices, pushed to clients [default: {Defaults.Mtu}]", HelpName = "BYTES" };
        var keepalive = new Option<string>("--keepalive") { Description = $"Keepalive interval pushed to clients; a client re-handshakes after {Client.VpnClientOptions.DefaultDeadAfterKeepalives} silent intervals [default: {Defaults.Seconds(Defaults.Keepalive)}]", HelpName = "SECONDS" };
        var rekeyInterval = new Option<string>("--rekey-interval") { Description = $"Every session moves to fresh keys (a new handshake) when its keys are this old, or sooner after 2^22 packets [default: {Defaults.Seconds(Defaults.RekeyInterval)}]", HelpName = "SECONDS" };
        var noOffload = new Option<bool>("--no-offload") { Description = "Use no kernel offloads (tun TSO/checksum, UDP GSO/GRO): every packet and datagram moves on its own" };
        var threads = new Option<string>("--threads") { Description = $"I/O threads: 1 runs both directions on one thread (lowest latency and CPU); 2 or more put the tun device and the UDP sockets on threads of their own (on the server, sessions spread over N-1 socket threads); auto: 1 on a machine with 2 CPUs or fewer, else one per CPU up to {Linux.PollerSet.MaxSocketThreads + 1} [default: auto]", HelpName = "auto|N" };
        var maxSessions = new Option<string>("--max-sessions") { Description = $"At most N sessions of clients using the shared key (--key-file or key_file) at once; further ones are refused as busy and counted. Every shared-key client can take any name, so they must trust one another [default: {Server.VpnServerOptions.DefaultMaxSharedKeySessions}]", HelpName = "N" };
        var block = new Option<string[]>("--block") { Description = "Keep clients from reaching this range (repeatable; added to the config file's 'block'). Blocked already: the server host's own addresses other than its VPN address, 0.0.0.0/8, 127.0.0.0/8, 169.254.0.0/16, 224.0.0.0/3", HelpName = "CIDR" };
        var allow = new Option<string[]>("--allow") { Description = "Let clients reach this range whatever is blocked (repeatable; added to the config file's 'allow')", HelpName = "CIDR" };
        var noClientToClient = new Option<bool>("--no-client-to-client") { Description = "Keep clients from reaching one another; each still reaches the server and what the policy allows" };
        var pushRoute = new Option<string[]>("--push-route") { Description = $"Push this route to every client: it sends the range through the tunnel (repeatable, at most {Protocol.PushedSettings.MaxRoutes}; added to the config file's 'routes'). /8 to /32; a full tunnel is the client's --default-route", HelpName = "CIDR" };
        var pushDns = new Option<string[]>("--push-dns") { Description = $"Push this DNS server to every client (repeatable, at most {Protocol.PushedSettings.MaxDnsServers}; added to the config file's 'dns')", HelpName = "IP" };
        var pushDnsSearch = new Option<string[]>("--push-dns-search") { Description = $"Push this DNS search domain to every client (repeatable, at most {Protocol.PushedSettings.MaxSearchDomains}; added to the config file's 'dns_search')", HelpName = "NAME" };
        var metricsListen = new Option<string>("--metrics-listen") { Description = $"Serve Prometheus metrics over HTTP on this address (GET /metrics); off unless given. A non-loopback address is reachable from the network [e.g. 127.0.0.1:{Defaults.MetricsPort}]", HelpName = "ADDRESS:PORT" };
        var singlePort = new Option<bool>("--single-port") { Description = "One-port mode: every session shares the UDP port of the handshake port's number (--listen), told apart by the session id in each datagram, instead of a port each from --ports. For networks that let one port through; costs a socket thread's worth of parallelism" };
        var keyLog = KeyLogOption.Create();
        var check = new Option<bool>("--check") { Description = $"Validate the configuration (the file, its keys and key files, every value) and exit without starting anything: prints 'FILE: ok' and exits 0, or the error and exits {ExitCodes.ConfigInvalid}; needs no root" };
        var logLevel = new Option<string>("--log-level") { Description = "trace, debug, info, warning or error [default: info]", HelpName = "LEVEL" };

        var command = new Command("server", """
            Run the VPN server (as root): creates the tun device, enables IPv4 forwarding, optionally NAT,
            accepts handshakes on TCP and gives each client an address and its own UDP port.
            Needs --config or --key-file. SIGINT/SIGTERM stop it and remove what it added; SIGHUP
            reloads the clients and keys from the config file (see docs/operations.md, Reload).
            """)
        {
            config, listen, subnet, keyFile, ports, masquerade, tun, mtu, keepalive, rekeyInterval, noOffload, threads, block, allow,
            noClientToClient, maxSessions, logLevel, keyLog, metricsListen, check,
        };
        command.Options.Add(pushRoute);
        command.Options.Add(pushDns);
        command.Options.Add(pushDnsSearch);
        command.Options.Add(singlePort);
        command.SetAction(result =>
        {
            var flags = new ServerFlags(
                result.GetValue(config), result.GetValue(listen), result.GetValue(subnet), result.GetValue(keyFile),
                result.GetValue(ports), result.GetValue(masquerade), result.GetValue(tun), result.GetValue(mtu),
                result.GetValue(keepalive), result.GetValue(logLevel), result.GetValue(keyLog), result.GetValue(noOffload),
                result.GetValue(threads), result.GetValue(block), result.GetValue(allow), result.GetValue(noClientToClient), result.GetValue(maxSessions),
                result.GetValue(rekeyInterval)) { MetricsListen = result.GetValue(metricsListen), SinglePort = result.GetValue(singlePort) };
            flags = flags with { PushRoute = result.GetValue(pushRoute), PushDns = result.GetValue(pushDns), PushDnsSearch = result.GetValue(pushDnsSearch) };
            return result.GetValue(check)
                ? CommandErrors.Check("server", result.InvocationConfiguration, () =>
                {
                    Resolve(flags).WipeKeys();
                    return flags.Config ?? $"--key-file {flags.KeyFile}";
                })
                : CommandErrors.Run("server", () => Start(flags));
        });
        return command;
    }

    private static ServerConfig Resolve(ServerFlags flags)
    {
        if (flags.Config is null && flags.KeyFile is null)
            throw new ConfigException("give --config FILE or --key-file FILE (see myvpn server --help)");
        return ServerConfig.Resolve(flags);
    }

    private static int Start(ServerFlags flags)
    {
        var settings = Resolve(flags);
        using var loggers = Logging.Create(settings.LogLevel);
        return ServerHost.Run(settings, loggers, () => ServerConfig.Resolve(flags), flags.Config ?? $"key file {flags.KeyFile}");
    }
}

using System.CommandLine;
using MyVpn.Doctor;
using MyVpn.Linux;
using MyVpn.Linux.Doctor;

namespace MyVpn.Cli;

/// <summary>
/// <c>myvpn doctor server|client</c>: resolves the config exactly as the daemon would (the same flags,
/// the same file), gathers the host's facts read-only, runs the checks and prints one line each. Exit
/// status 0 when no line failed, 1 otherwise.
/// </summary>
internal static class DoctorCommand
{
    /// <summary>The server's config when neither --config nor --key-file is given (where the systemd unit reads it).</summary>
    public const string DefaultServerConfig = "/etc/myvpn/server.toml";

    public static Command Build()
    {
        var command = new Command("doctor", """
            Check what breaks VPNs in practice and say what to fix, one line each: ok, warn (a risk) or FAIL
            (with what to do). Exit status 0 when nothing failed, 1 otherwise. Run it as root.
            """);
        command.Subcommands.Add(Server());
        command.Subcommands.Add(Client());
        return command;
    }

    private static Command Server()
    {
        var config = new Option<string>("--config", "-c") { Description = $"The server's TOML file [default: {DefaultServerConfig} when --key-file is not given either]", HelpName = "FILE" };
        var listen = new Option<string>("--listen") { Description = "As for myvpn server: the handshake address and port", HelpName = "ADDRESS:PORT" };
        var subnet = new Option<string>("--subnet") { Description = "As for myvpn server: the VPN subnet", HelpName = "CIDR" };
        var keyFile = new Option<string>("--key-file") { Description = "As for myvpn server: the shared key file", HelpName = "FILE" };
        var ports = new Option<string>("--ports") { Description = "As for myvpn server: the UDP session ports", HelpName = "FIRST-LAST" };
        var masquerade = new Option<string>("--masquerade") { Description = "As for myvpn server: the interface clients reach the internet through", HelpName = "IFACE" };
        var tun = new Option<string>("--tun") { Description = "As for myvpn server: the tun device", HelpName = "NAME" };
        var mtu = new Option<string>("--mtu") { Description = "As for myvpn server: the tun MTU pushed to clients", HelpName = "BYTES" };
        var command = new Command("server", """
            Check this host as a VPN server: IPv4 forwarding, the NAT rule and its interface, the handshake
            port and the session ports (free, or the running server's; open in the nftables firewall), the
            tun MTU against the outside interface, root, /dev/net/tun, the config and its key files.
            """)
        {
            config, listen, subnet, keyFile, ports, masquerade, tun, mtu,
        };
        command.SetAction(result => CommandErrors.Run("doctor", () =>
        {
            var flags = new ServerFlags(
                Config: result.GetValue(config), Listen: result.GetValue(listen), Subnet: result.GetValue(subnet),
                KeyFile: result.GetValue(keyFile), Ports: result.GetValue(ports), Masquerade: result.GetValue(masquerade),
                Tun: result.GetValue(tun), Mtu: result.GetValue(mtu));
            if (flags.Config is null && flags.KeyFile is null && File.Exists(DefaultServerConfig))
                flags = flags with { Config = DefaultServerConfig };
            ServerSetup? setup = null;
            string? problem = null;
            try
            {
                if (flags.Config is null && flags.KeyFile is null)
                    throw new ConfigException($"give --config FILE or --key-file FILE (no {DefaultServerConfig})");
                var settings = ServerConfig.Resolve(flags);
                settings.WipeKeys();
                setup = new ServerSetup(settings.Tun, settings.Listen, settings.SessionPortRange.First, settings.SessionPortRange.Last, settings.Masquerade,
                    settings.Mtu, NftTable.TableName(settings.Tun));
            }
            catch (ConfigException e)
            {
                problem = e.Message;
            }
            return Print(DoctorChecks.Run(ServerFactsGatherer.Gather(ServerFactsGatherer.Host(problem), setup)));
        }));
        return command;
    }

    private static Command Client()
    {
        var config = new Option<string>("--config", "-c") { Description = "The client's TOML file", HelpName = "FILE" };
        var server = new Option<string>("--server") { Description = "As for myvpn client: the server's handshake address", HelpName = "HOST[:PORT]" };
        var keyFile = new Option<string>("--key-file") { Description = "As for myvpn client: this client's key file", HelpName = "FILE" };
        var name = new Option<string>("--name") { Description = "As for myvpn client: the name the server knows this client by", HelpName = "NAME" };
        var defaultRoute = new Option<bool>("--default-route") { Description = "As for myvpn client: check as a full tunnel (DNS and IPv6 leaks)" };
        var tun = new Option<string>("--tun") { Description = "As for myvpn client: the tun device", HelpName = "NAME" };
        var command = new Command("client", """
            Check this host as a VPN client: the server reachable by TCP, and by UDP through a real handshake
            and a sealed echo (skipped while the client runs: the probe would replace its session), the tun
            MTU against the path to the server, for a full tunnel DNS and IPv6 that would leave outside it,
            root, /dev/net/tun, the config and its key file.
            """)
        {
            config, server, keyFile, name, defaultRoute, tun,
        };
        command.SetAction(result => CommandErrors.Run("doctor", () =>
        {
            var flags = new ClientFlags(
                Config: result.GetValue(config), Server: result.GetValue(server), KeyFile: result.GetValue(keyFile),
                Name: result.GetValue(name), DefaultRoute: result.GetValue(defaultRoute), Tun: result.GetValue(tun));
            ClientSetup? setup = null;
            string? problem = null;
            ClientConfig? settings = null;
            try
            {
                settings = ClientConfig.Resolve(flags);
                setup = new ClientSetup(settings.ResolveServer(), settings.Name, settings.Tun, settings.DefaultRoute,
                    settings.AcceptRoutes, settings.AcceptDns);
            }
            catch (ConfigException e)
            {
                problem = e.Message;
            }
            try
            {
                return Print(DoctorChecks.Run(ClientFactsGatherer.Gather(ServerFactsGatherer.Host(problem), setup, settings?.Key)));
            }
            finally
            {
                settings?.WipeKeys();
            }
        }));
        return command;
    }

    private static int Print(IReadOnlyList<DoctorLine> lines)
    {
        foreach (var line in lines)
            Console.WriteLine(line);
        return DoctorReport.ExitCode(lines);
    }
}

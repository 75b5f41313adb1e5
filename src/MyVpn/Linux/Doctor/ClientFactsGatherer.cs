using MyVpn.Doctor;

namespace MyVpn.Linux.Doctor;

/// <summary>
/// Gathers what the client checks judge: whether the client runs (its tun device exists, its undo
/// journal names a live pid, or its control socket exists), a TCP connection to the server, the probe
/// through the protocol when the client does not run, the route towards the server and its device,
/// resolv.conf, the IPv4 routes, and IPv6 default routes and global addresses.
/// </summary>
internal static class ClientFactsGatherer
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public static ClientFacts Gather(HostFacts host, ClientSetup? setup, byte[]? key)
    {
        var facts = new ClientFacts { Host = host, Setup = setup };
        if (setup is null)
            return facts;
        var tun = InterfaceReader.Read(setup.Tun);
        var running = tun.Exists ? $"{setup.Tun} exists"
            : UndoJournal.LiveOwner(setup.Tun) is { } pid ? $"a client (pid {pid}) holds {setup.Tun}"
            : File.Exists(ControlSocket.PathFor(setup.Tun)) ? $"its control socket {ControlSocket.PathFor(setup.Tun)} exists" : null;
        var tcp = ServerProbe.ConnectTcp(setup.Server, Timeout);
        var udp = running is not null
            ? UdpProbe.Skipped($"the client is running ({running}), and a probe handshake as '{setup.Name}' would replace its session")
            : tcp is not null || key is null ? UdpProbe.Skipped("TCP failed")
            : ServerProbe.HandshakeAndEcho(setup.Server, setup.Name, key, Timeout);
        var path = ServerFactsGatherer.RouteDevice(setup.Server.AddressText);
        var resolvConf = File.Exists(ResolvConf.Path) ? File.ReadAllText(ResolvConf.Path) : "";
        return facts with
        {
            Running = running,
            TunDevice = tun.Exists ? tun : null,
            TcpProblem = tcp,
            Udp = udp,
            PathDevice = path is null ? null : InterfaceReader.Read(path),
            Nameservers = ResolvConf.Nameservers(resolvConf),
            IPv6Nameservers = ResolvConf.IPv6Nameservers(resolvConf),
            Routes = IpRouteJson.Routes(Ip("-j", "-4", "route", "show", "table", "main")),
            IPv6DefaultRoutes = IpRouteJson.Devices(Ip("-j", "-6", "route", "show", "default")),
            IPv6GlobalAddresses = IpRouteJson.Addresses(Ip("-j", "-6", "addr", "show", "scope", "global")),
        };
    }

    private static string Ip(params string[] arguments)
    {
        var result = SystemTool.Run("ip", arguments);
        return result.Succeeded ? result.Output : "";
    }
}

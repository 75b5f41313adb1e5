using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using MyVpn.Cli.Config;
using MyVpn.Client;
using MyVpn.Linux;
using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Cli;

/// <summary>Everything the client host needs, validated: flags over the config file over the defaults.</summary>
internal sealed record ClientConfig(
    string Server,
    string Name,
    byte[] Key,
    string Tun,
    bool DefaultRoute,
    LogLevel LogLevel,
    string? KeyLog,
    bool Offload = true,
    int? Threads = null)
{
    /// <summary>Where the Prometheus metrics endpoint listens (<c>metrics_listen</c>, <c>--metrics-listen</c>); null: off.</summary>
    public NetEndpoint? MetricsListen { get; init; }

    public static ClientConfig Resolve(ClientFlags flags)
    {
        FileFacts facts = default;
        var lines = ConfigLines.None;
        var file = flags.Config is null ? null : TomlConfig.Load<ClientConfigFile>(flags.Config, out facts, out lines);
        var path = flags.Config;
        SettingValue Pick(string? flag, string flagName, string? fromFile, string key) =>
            flag is not null ? new(flag, flagName) : new(fromFile, fromFile is null ? flagName : lines.Where(path, key));

        var server = Pick(flags.Server, "--server", file?.Server, "server");
        if (!server.IsSet)
            throw new ConfigException("no server: give --server HOST[:PORT], or 'server' in a --config file");
        if (string.IsNullOrWhiteSpace(server.Text))
            throw new ConfigException($"{server.Where} is empty: give the server as HOST[:PORT]");
        SplitServer(server.Text!, server.Where); // refused here, where the file's line is known, not first at start

        byte[] key;
        if (flags.KeyFile is not null)
            key = KeyFile.Read(flags.KeyFile);
        else if (file?.KeyFile is not null && file.Key is null)
            key = ReadKeyFile(ServerConfig.RelativeTo(path, file.KeyFile, fromFlag: false), lines.Where(path, "key_file"));
        else if (file?.Key is not null && file.KeyFile is null)
            key = ServerConfig.InlineKey(file.Key, path!, facts, lines.At(path, "key"));
        else if (file?.Key is not null)
            throw new ConfigException($"{lines.At(path, "key_file")}: give 'key' or 'key_file', not both");
        else
            throw new ConfigException("no key: give --key-file FILE, or 'key_file' in a --config file");

        return new ClientConfig(
            server.Text!,
            Pick(flags.Name, "--name", file?.Name, "name").Parse(SettingParsers.ClientName, Defaults.ClientName()),
            key,
            Pick(flags.Tun, "--tun", file?.Tun, "tun").Parse(SettingParsers.InterfaceName, Defaults.Tun),
            flags.DefaultRoute || file?.DefaultRoute == true,
            Pick(flags.LogLevel, "--log-level", file?.LogLevel, "log_level").Parse(SettingParsers.LogLevel, LogLevel.Information),
            flags.KeyLog,
            !flags.NoOffload && file?.Offload != false,
            Pick(flags.Threads, "--threads", file?.Threads?.ToString(), "threads").Parse(SettingParsers.Threads, null))
        {
            AcceptRoutes = !flags.NoPushedRoutes && file?.AcceptRoutes != false,
            AcceptDns = !flags.NoPushedDns && file?.AcceptDns != false,
            FirewallMark = Pick(flags.FirewallMark, "--fwmark", file?.Fwmark?.ToString(System.Globalization.CultureInfo.InvariantCulture), "fwmark")
                .Parse(SettingParsers.FirewallMark, FullTunnelRouting.DefaultMark),
            MetricsListen = Pick(flags.MetricsListen, "--metrics-listen", file?.MetricsListen, "metrics_listen")
                .Parse<NetEndpoint?>(text => SettingParsers.MetricsEndpoint(text), null),
            Mtu = Pick(flags.Mtu, "--mtu", file?.Mtu?.ToString(System.Globalization.CultureInfo.InvariantCulture), "mtu")
                .Parse<int?>(text => SettingParsers.Mtu(text), null),
        };
    }

    /// <summary>
    /// The tun MTU this client allows at most (<c>mtu</c>, <c>--mtu</c>); null: the kernel's path MTU towards the
    /// server less the tunnel's overhead. The tun gets the lower of this and the server's grant.
    /// </summary>
    public int? Mtu { get; init; }

    /// <summary>
    /// With <see cref="DefaultRoute"/>: the firewall mark of the client's own sockets and the number of the
    /// routing table the full tunnel's default routes go in (<c>fwmark</c>, <c>--fwmark</c>).
    /// </summary>
    public uint FirewallMark { get; init; } = FullTunnelRouting.DefaultMark;

    /// <summary>Whether the routes the server pushes are installed (<c>accept_routes</c>, <c>--no-pushed-routes</c>); true by default.</summary>
    public bool AcceptRoutes { get; init; } = true;

    /// <summary>Whether the DNS servers and search domains the server pushes are applied (<c>accept_dns</c>, <c>--no-pushed-dns</c>); true by default.</summary>
    public bool AcceptDns { get; init; } = true;

    /// <summary>Reads the key file named in the config file; a refusal also names the config file's line and key.</summary>
    private static byte[] ReadKeyFile(string path, string where)
    {
        try
        {
            return KeyFile.Read(path);
        }
        catch (ConfigException e)
        {
            throw new ConfigException($"{where}: {e.Message}", e);
        }
    }

    /// <summary>Zeroes the key read; the daemon calls it when it stops.</summary>
    public void WipeKeys() => System.Security.Cryptography.CryptographicOperations.ZeroMemory(Key);

    /// <summary>HOST[:PORT] taken apart (<see cref="Defaults.HandshakePort"/> when left out), nothing looked up.</summary>
    private (string Host, ushort Port) SplitServer() => SplitServer(Server, "server");

    /// <summary>HOST[:PORT] taken apart; a bad one is refused naming <paramref name="where"/> (the flag, or file:line: key).</summary>
    private static (string Host, ushort Port) SplitServer(string server, string where)
    {
        var colon = server.LastIndexOf(':');
        var host = colon < 0 ? server : server[..colon];
        var port = Defaults.HandshakePort;
        if (colon >= 0 && (!ushort.TryParse(server.AsSpan(colon + 1), out port) || port == 0))
            throw new ConfigException($"{where} '{server}': the port is not a number from 1 to 65535");
        if (host.Length == 0)
            throw new ConfigException($"{where} '{server}': the host is missing");
        return (host, port);
    }

    /// <summary>Resolves HOST[:PORT] (a name or an IPv4 address; <see cref="Defaults.HandshakePort"/> when left out).</summary>
    public NetEndpoint ResolveServer()
    {
        var (host, port) = SplitServer();
        if (IPv4Address.TryParse(host, out var address))
            return new NetEndpoint(address, port);
        try
        {
            var ip = Dns.GetHostAddresses(host, AddressFamily.InterNetwork).FirstOrDefault()
                ?? throw new ConfigException($"server '{host}' has no IPv4 address");
            return new NetEndpoint(IPv4Address.From(ip), port);
        }
        catch (SocketException e)
        {
            throw new ConfigException($"cannot resolve the server '{host}': {e.Message}", e);
        }
    }

    /// <param name="pathMtu">The kernel's path MTU towards the server (null: unknown); used when <see cref="Mtu"/> is not set.</param>
    public VpnClientOptions ToOptions(NetEndpoint server, Action<SessionKeys>? keyLog, int? pathMtu = null) => new()
    {
        Server = server,
        Name = Name,
        Key = Key,
        KeyLog = keyLog,
        Mtu = Mtu ?? (pathMtu is { } path
            ? Math.Max(576, path - (server.IsIPv6 ? WireFormat.PathOverheadIPv6 : WireFormat.PathOverheadIPv4))
            : null),
    };
}

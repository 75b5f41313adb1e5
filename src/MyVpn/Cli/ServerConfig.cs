using System.Globalization;
using Microsoft.Extensions.Logging;
using MyVpn.Cli.Config;
using MyVpn.Linux;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Server;

namespace MyVpn.Cli;

/// <summary>Everything the server host needs, validated: flags over the config file over the defaults.</summary>
internal sealed record ServerConfig(
    NetEndpoint Listen,
    IPv4Subnet Subnet,
    IPv4Address ServerAddress,
    ushort FirstPort,
    ushort LastPort,
    string Tun,
    string? Masquerade,
    int Mtu,
    TimeSpan Keepalive,
    IReadOnlyList<ClientEntry> Clients,
    byte[]? SharedKey,
    LogLevel LogLevel,
    string? KeyLog,
    bool Offload = true,
    int? Threads = null,
    int MaxSessions = VpnServerOptions.DefaultMaxSharedKeySessions,
    TimeSpan? RekeyInterval = null)
{
    /// <summary>How old a session's keys may grow before the server asks for a rekey.</summary>
    public TimeSpan EffectiveRekeyInterval => RekeyInterval ?? Defaults.RekeyInterval;

    /// <summary>Ranges clients may not reach beyond the built-in ones: the file's <c>block</c>, then each <c>--block</c>.</summary>
    public IReadOnlyList<IPv4Range> Block { get; init; } = [];

    /// <summary>The VPN's IPv6 subnet: <c>subnet6</c>, or the generated ULA /64 of <c>ipv6 = true</c>; null: IPv4 only.</summary>
    public IPv6Subnet? Subnet6 { get; init; }

    /// <summary>The IPv6 entries of <c>block</c> and <c>--block</c>.</summary>
    public IReadOnlyList<IPv6Range> Block6 { get; init; } = [];

    /// <summary>The IPv6 entries of <c>allow</c> and <c>--allow</c>.</summary>
    public IReadOnlyList<IPv6Range> Allow6 { get; init; } = [];

    /// <summary>Ranges clients may reach whatever else says: the file's <c>allow</c>, then each <c>--allow</c>.</summary>
    public IReadOnlyList<IPv4Range> Allow { get; init; } = [];

    /// <summary>False with <c>client_to_client = false</c> or <c>--no-client-to-client</c>.</summary>
    public bool ClientToClient { get; init; } = true;

    /// <summary>What every grant pushes: the file's <c>routes</c>, <c>dns</c>, <c>dns_search</c>, then each --push-… flag.</summary>
    public PushedSettings Pushed { get; init; } = PushedSettings.None;

    /// <summary>
    /// One-port mode (<c>single_port = true</c>, <c>--single-port</c>): every session on the UDP port of the
    /// handshake port's number, instead of one port each from <see cref="FirstPort"/>..<see cref="LastPort"/>.
    /// </summary>
    public bool SinglePort { get; init; }

    /// <summary>The UDP ports sessions are received on, inclusive: the handshake port's number alone in one-port mode.</summary>
    public (ushort First, ushort Last) SessionPortRange => SinglePort ? (Listen.Port, Listen.Port) : (FirstPort, LastPort);

    /// <summary>The UDP ports sessions use, as the status and the start's log line show them.</summary>
    public string SessionPorts => SinglePort ? $"{Listen.Port} (single port)" : $"{FirstPort}-{LastPort}";

    /// <summary>Where the Prometheus metrics endpoint listens (<c>metrics_listen</c>, <c>--metrics-listen</c>); null: off.</summary>
    public NetEndpoint? MetricsListen { get; init; }

    public static ServerConfig Resolve(ServerFlags flags)
    {
        FileFacts facts = default;
        var lines = ConfigLines.None;
        var file = flags.Config is null ? null : TomlConfig.Load<ServerConfigFile>(flags.Config, out facts, out lines);
        var path = flags.Config;
        SettingValue Pick(string? flag, string flagName, string? fromFile, string key) =>
            flag is not null ? new(flag, flagName) : new(fromFile, fromFile is null ? flagName : lines.Where(path, key));

        var subnet = Pick(flags.Subnet, "--subnet", file?.Subnet, "subnet").Parse(IPv4Subnet.Parse, Defaults.Subnet);
        var addressSetting = Pick(null, "address", file?.Address, "address");
        var serverAddress = addressSetting.Parse(IPv4Address.Parse, subnet.Host(1));
        CheckHostAddress(subnet, serverAddress, addressSetting.Where);
        var (firstPort, lastPort) = Pick(flags.Ports, "--ports", file?.Ports, "ports").Parse(SettingParsers.PortRange, (Defaults.FirstPort, Defaults.LastPort));

        var singleKey = Pick(flags.KeyFile, "--key-file", file?.KeyFile, "key_file");
        var sharedKey = singleKey.IsSet
            ? ReadKeyFile(RelativeTo(path, singleKey.Text!, fromFlag: flags.KeyFile is not null), flags.KeyFile is null ? lines.Where(path, "key_file") : null)
            : null;
        var clients = ClientsFromFile(file, path, lines, facts, subnet, serverAddress).ToList();
        if (clients.Count == 0 && sharedKey is null)
            throw new ConfigException("no clients: give --key-file FILE, or [[clients]] in a --config file");
        for (var i = 1; i < clients.Count; i++)
            if (clients.FindIndex(c => c.Name == clients[i].Name) < i)
                throw new ConfigException($"{lines.At(path ?? "--key-file", "name", i + 1)}: client name '{clients[i].Name}' is used twice");

        return new ServerConfig(
            Pick(flags.Listen, "--listen", file?.Listen, "listen").Parse(SettingParsers.ListenEndpoint, Defaults.Listen),
            subnet,
            serverAddress,
            firstPort,
            lastPort,
            Pick(flags.Tun, "--tun", file?.Tun, "tun").Parse(SettingParsers.InterfaceName, Defaults.Tun),
            Pick(flags.Masquerade, "--masquerade", file?.Masquerade, "masquerade").Parse(SettingParsers.InterfaceName, null),
            Pick(flags.Mtu, "--mtu", file?.Mtu?.ToString(), "mtu").Parse(SettingParsers.Mtu, Defaults.Mtu),
            Pick(flags.Keepalive, "--keepalive", file?.Keepalive?.ToString(), "keepalive")
                .Parse(SettingParsers.Seconds, Defaults.Keepalive),
            clients,
            sharedKey,
            Pick(flags.LogLevel, "--log-level", file?.LogLevel, "log_level").Parse(SettingParsers.LogLevel, LogLevel.Information),
            flags.KeyLog,
            !flags.NoOffload && file?.Offload != false,
            Pick(flags.Threads, "--threads", file?.Threads?.ToString(), "threads").Parse(SettingParsers.Threads, null),
            Pick(flags.MaxSessions, "--max-sessions", file?.MaxSessions?.ToString(), "max_sessions")
                .Parse(SettingParsers.MaxSessions, VpnServerOptions.DefaultMaxSharedKeySessions),
            Pick(flags.RekeyInterval, "--rekey-interval", file?.RekeyInterval?.ToString(), "rekey_interval")
                .Parse(SettingParsers.Seconds, Defaults.RekeyInterval))
        {
            Block = Ranges(file?.Block, lines.Where(path, "block"), flags.Block, "--block"),
            Allow = Ranges(file?.Allow, lines.Where(path, "allow"), flags.Allow, "--allow"),
            Subnet6 = Subnet6Of(file, path, lines, subnet),
            Block6 = Ranges6(file?.Block, lines.Where(path, "block"), flags.Block, "--block"),
            Allow6 = Ranges6(file?.Allow, lines.Where(path, "allow"), flags.Allow, "--allow"),
            ClientToClient = !flags.NoClientToClient && file?.ClientToClient != false,
            SinglePort = flags.SinglePort || file?.SinglePort == true,
            Pushed = PushedFromSettings.Resolve(file, path, lines, flags),
            MetricsListen = Pick(flags.MetricsListen, "--metrics-listen", file?.MetricsListen, "metrics_listen")
                .Parse<NetEndpoint?>(text => SettingParsers.MetricsEndpoint(text), null),
        };
    }

    /// <summary>
    /// The IPv4 CIDR ranges of a list: the config file's, then the flag's (a flag adds to the file rather than
    /// replacing it). Entries with a ':' are IPv6 ranges (<see cref="Ranges6"/>).
    /// </summary>
    private static List<IPv4Range> Ranges(List<string>? fromFile, string where, IReadOnlyList<string>? fromFlags, string flagName) =>
        [
            .. (fromFile ?? []).Where(text => !IsIPv6(text)).Select(text => new SettingValue(text, where).Parse(IPv4Range.Parse, default)),
            .. (fromFlags ?? []).Where(text => !IsIPv6(text)).Select(text => new SettingValue(text, flagName).Parse(IPv4Range.Parse, default)),
        ];

    /// <summary>The IPv6 CIDR ranges of a list (entries with a ':'), in the same order.</summary>
    private static List<IPv6Range> Ranges6(List<string>? fromFile, string where, IReadOnlyList<string>? fromFlags, string flagName) =>
        [
            .. (fromFile ?? []).Where(IsIPv6).Select(text => new SettingValue(text, where).Parse(IPv6Range.Parse, default)),
            .. (fromFlags ?? []).Where(IsIPv6).Select(text => new SettingValue(text, flagName).Parse(IPv6Range.Parse, default)),
        ];

    private static bool IsIPv6(string text) => text.Contains(':');

    /// <summary>
    /// <c>subnet6</c> (checked: /64../120, not a special range, room for every host of the IPv4 subnet), else the
    /// ULA /64 of <c>ipv6 = true</c> (<see cref="UlaPrefix"/>), else null. <c>ipv6 = false</c> beside <c>subnet6</c> is refused.
    /// </summary>
    private static IPv6Subnet? Subnet6Of(ServerConfigFile? file, string? path, ConfigLines lines, IPv4Subnet subnet)
    {
        if (file?.Subnet6 is null)
            return file?.Ipv6 == true ? UlaPrefix.ForThisHost(subnet) : null;
        var where = lines.Where(path, "subnet6");
        if (file.Ipv6 == false)
            throw new ConfigException($"{where}: set while ipv6 = false: remove one of the two");
        var subnet6 = new SettingValue(file.Subnet6, where).Parse(IPv6Subnet.Parse, default);
        var problem = VpnServerOptions.Subnet6Problem(subnet6, subnet)
            ?? new Ipv6Grant(subnet6.Host(2), subnet6.PrefixLength, subnet6.Host(1)).Problem();
        if (problem is not null)
            throw new ConfigException($"{where} '{file.Subnet6}': {problem}");
        return subnet6;
    }

    /// <param name="keyLog">Receives every session's keys (--keylog), or null.</param>
    /// <param name="hostAddresses">The server host's own addresses, which clients may not reach (gathered at start).</param>
    /// <param name="hostAddresses6">The server host's own IPv6 addresses, likewise.</param>
    public VpnServerOptions ToOptions(Action<SessionKeys>? keyLog, IReadOnlyList<IPv4Address>? hostAddresses = null,
        IReadOnlyList<IPv6Address>? hostAddresses6 = null) => new()
    {
        Subnet = Subnet,
        ServerAddress = ServerAddress,
        Clients = Clients,
        SharedKey = SharedKey,
        FirstPort = FirstPort,
        LastPort = LastPort,
        Mtu = Mtu,
        KeepaliveInterval = Keepalive,
        MaxSharedKeySessions = MaxSessions,
        RekeyInterval = EffectiveRekeyInterval,
        KeyLog = keyLog,
        HostAddresses = hostAddresses ?? [],
        Block = Block,
        Allow = Allow,
        ClientToClient = ClientToClient,
        Pushed = Pushed,
        Subnet6 = Subnet6,
        HostAddresses6 = hostAddresses6 ?? [],
        Block6 = Block6,
        Allow6 = Allow6,
        SinglePort = SinglePort ? Listen.Port : (ushort)0,
    };

    /// <summary>Zeroes every key read (the shared key and each client's); the daemon calls it when it stops.</summary>
    public void WipeKeys()
    {
        if (SharedKey is not null)
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(SharedKey);
        foreach (var client in Clients)
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(client.Key);
    }

    private static IEnumerable<ClientEntry> ClientsFromFile(ServerConfigFile? file, string? path, ConfigLines lines, FileFacts facts, IPv4Subnet subnet, IPv4Address serverAddress)
    {
        var entries = file?.Clients ?? [];
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var table = i + 1;
            var where = $"{lines.At(path, "name", table)}: [[clients]] #{table}";
            if (string.IsNullOrWhiteSpace(entry.Name))
                throw new ConfigException($"{where}: 'name' is missing");
            new SettingValue(entry.Name, $"{where}: name").Parse(SettingParsers.ClientName, "");
            string Where(string key) => $"{lines.At(path, key, table)}: client '{entry.Name}'";
            byte[] key = (entry.Key, entry.KeyFile) switch
            {
                (not null, null) => InlineKey(entry.Key, path!, facts, Where("key")),
                (null, not null) => ReadKeyFile(RelativeTo(path, entry.KeyFile, fromFlag: false), $"{Where("key_file")}: key_file"),
                (null, null) => throw new ConfigException($"{Where("name")}: give 'key' or 'key_file'"),
                _ => throw new ConfigException($"{Where("key_file")}: give 'key' or 'key_file', not both"),
            };
            IPv4Address? address = null;
            if (entry.Address is not null)
            {
                var setting = new SettingValue(entry.Address, $"{Where("address")}: address");
                var parsed = setting.Parse(IPv4Address.Parse, default);
                CheckHostAddress(subnet, parsed, setting.Where);
                if (parsed == serverAddress)
                    throw new ConfigException($"{setting.Where} {parsed} is the server's own address");
                address = parsed;
            }
            int? mtu = entry.Mtu is { } clientMtu
                ? new SettingValue(clientMtu.ToString(CultureInfo.InvariantCulture), $"{Where("mtu")}: mtu").Parse(SettingParsers.Mtu, 0)
                : null;
            yield return new ClientEntry(entry.Name, key, address, mtu) { Ipv6 = entry.Ipv6 != false };
        }
    }

    /// <summary>Reads a key file named in a config file; its refusal also names the config file's line and key (<paramref name="where"/>; null for a flag).</summary>
    private static byte[] ReadKeyFile(string path, string? where)
    {
        try
        {
            return KeyFile.Read(path);
        }
        catch (ConfigException e) when (where is not null)
        {
            throw new ConfigException($"{where}: {e.Message}", e);
        }
    }

    /// <summary>An inline key makes the config file a secret too: it must be private like a key file.</summary>
    internal static byte[] InlineKey(string text, string configPath, FileFacts facts, string where)
    {
        TomlConfig.RequirePrivateForInlineKeys(configPath, facts);
        return KeyFile.Decode(text, $"{where}: key");
    }

    private static void CheckHostAddress(IPv4Subnet subnet, IPv4Address address, string where)
    {
        if (!subnet.Contains(address) || address == subnet.Network || address == subnet.Broadcast)
            throw new ConfigException($"{where} {address} is not a host address in {subnet}");
    }

    /// <summary>Paths in a config file are relative to the file's directory; paths in flags to the working directory.</summary>
    internal static string RelativeTo(string? configPath, string path, bool fromFlag) =>
        fromFlag || configPath is null || Path.IsPathRooted(path)
            ? path
            : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configPath))!, path);
}

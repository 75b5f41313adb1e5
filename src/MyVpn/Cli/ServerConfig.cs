using Microsoft.Extensions.Logging;
using MyVpn.Cli.Config;
using MyVpn.Linux;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Server;

namespace MyVpn.Cli;

/// <summary>Everything the server host needs, validated: flags over the config file over the defaults.</summary>
internal sealed record ServerConfig(
    IPv4Endpoint Listen,
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

    /// <summary>Ranges clients may reach whatever else says: the file's <c>allow</c>, then each <c>--allow</c>.</summary>
    public IReadOnlyList<IPv4Range> Allow { get; init; } = [];

    /// <summary>False with <c>client_to_client = false</c> or <c>--no-client-to-client</c>.</summary>
    public bool ClientToClient { get; init; } = true;

    /// <summary>What every grant pushes: the file's <c>routes</c>, <c>dns</c>, <c>dns_search</c>, then each --push-… flag.</summary>
    public PushedSettings Pushed { get; init; } = PushedSettings.None;

    /// <summary>Where the Prometheus metrics endpoint listens (<c>metrics_listen</c>, <c>--metrics-listen</c>); null: off.</summary>
    public IPv4Endpoint? MetricsListen { get; init; }

    public static ServerConfig Resolve(ServerFlags flags)
    {
        FileFacts facts = default;
        var file = flags.Config is null ? null : TomlConfig.Load<ServerConfigFile>(flags.Config, out facts);
        var path = flags.Config;
        SettingValue Pick(string? flag, string flagName, string? fromFile, string key) =>
            SettingValue.Pick(flag, flagName, fromFile, path, key);

        var subnet = Pick(flags.Subnet, "--subnet", file?.Subnet, "subnet").Parse(IPv4Subnet.Parse, Defaults.Subnet);
        var addressSetting = Pick(null, "address", file?.Address, "address");
        var serverAddress = addressSetting.Parse(IPv4Address.Parse, subnet.Host(1));
        CheckHostAddress(subnet, serverAddress, addressSetting.Where);
        var (firstPort, lastPort) = Pick(flags.Ports, "--ports", file?.Ports, "ports").Parse(SettingParsers.PortRange, (Defaults.FirstPort, Defaults.LastPort));

        var singleKey = Pick(flags.KeyFile, "--key-file", file?.KeyFile, "key_file");
        var sharedKey = singleKey.IsSet ? KeyFile.Read(RelativeTo(path, singleKey.Text!, fromFlag: flags.KeyFile is not null)) : null;
        var clients = ClientsFromFile(file, path, facts, subnet, serverAddress).ToList();
        if (clients.Count == 0 && sharedKey is null)
            throw new ConfigException("no clients: give --key-file FILE, or [[clients]] in a --config file");
        var duplicate = clients.GroupBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ConfigException($"{path ?? "--key-file"}: client name '{duplicate.Key}' is used twice");

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
            Block = Ranges(file?.Block, path, "block", flags.Block, "--block"),
            Allow = Ranges(file?.Allow, path, "allow", flags.Allow, "--allow"),
            ClientToClient = !flags.NoClientToClient && file?.ClientToClient != false,
            Pushed = PushedFromSettings.Resolve(file, path, flags),
            MetricsListen = Pick(flags.MetricsListen, "--metrics-listen", file?.MetricsListen, "metrics_listen")
                .Parse<IPv4Endpoint?>(text => SettingParsers.MetricsEndpoint(text), null),
        };
    }

    /// <summary>A list of CIDR ranges: the config file's, then the flag's (a flag adds to the file rather than replacing it).</summary>
    private static List<IPv4Range> Ranges(List<string>? fromFile, string? path, string key, IReadOnlyList<string>? fromFlags, string flagName) =>
        [
            .. (fromFile ?? []).Select(text => new SettingValue(text, $"{path}: {key}").Parse(IPv4Range.Parse, default)),
            .. (fromFlags ?? []).Select(text => new SettingValue(text, flagName).Parse(IPv4Range.Parse, default)),
        ];

    /// <param name="keyLog">Receives every session's keys (--keylog), or null.</param>
    /// <param name="hostAddresses">The server host's own addresses, which clients may not reach (gathered at start).</param>
    public VpnServerOptions ToOptions(Action<SessionKeys>? keyLog, IReadOnlyList<IPv4Address>? hostAddresses = null) => new()
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
    };

    /// <summary>Zeroes every key read (the shared key and each client's); the daemon calls it when it stops.</summary>
    public void WipeKeys()
    {
        if (SharedKey is not null)
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(SharedKey);
        foreach (var client in Clients)
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(client.Key);
    }

    private static IEnumerable<ClientEntry> ClientsFromFile(ServerConfigFile? file, string? path, FileFacts facts, IPv4Subnet subnet, IPv4Address serverAddress)
    {
        var entries = file?.Clients ?? [];
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var where = $"{path}: [[clients]] #{i + 1}";
            if (string.IsNullOrWhiteSpace(entry.Name))
                throw new ConfigException($"{where}: 'name' is missing");
            new SettingValue(entry.Name, $"{where}: name").Parse(SettingParsers.ClientName, "");
            where = $"{path}: client '{entry.Name}'";
            byte[] key = (entry.Key, entry.KeyFile) switch
            {
                (not null, null) => InlineKey(entry.Key, path!, facts, where),
                (null, not null) => KeyFile.Read(RelativeTo(path, entry.KeyFile, fromFlag: false)),
                (null, null) => throw new ConfigException($"{where}: give 'key' or 'key_file'"),
                _ => throw new ConfigException($"{where}: give 'key' or 'key_file', not both"),
            };
            IPv4Address? address = null;
            if (entry.Address is not null)
            {
                var setting = new SettingValue(entry.Address, $"{where}: address");
                var parsed = setting.Parse(IPv4Address.Parse, default);
                CheckHostAddress(subnet, parsed, setting.Where);
                if (parsed == serverAddress)
                    throw new ConfigException($"{setting.Where} {parsed} is the server's own address");
                address = parsed;
            }
            yield return new ClientEntry(entry.Name, key, address);
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

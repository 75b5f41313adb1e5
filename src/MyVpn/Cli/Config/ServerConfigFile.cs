using Tomlyn.Serialization;

namespace MyVpn.Cli.Config;

/// <summary>server.toml as written (see examples/server.toml); <see cref="ServerConfig"/> validates it.</summary>
internal sealed class ServerConfigFile : IHasUnknownKeys
{
    public string? Listen { get; set; }
    public string? Subnet { get; set; }
    public string? Subnet6 { get; set; }
    public bool? Ipv6 { get; set; }
    public string? Address { get; set; }
    public string? Ports { get; set; }
    public string? Tun { get; set; }
    public string? Masquerade { get; set; }
    public int? Mtu { get; set; }
    public int? Keepalive { get; set; }
    public int? RekeyInterval { get; set; }
    public string? KeyFile { get; set; }
    public string? LogLevel { get; set; }
    public bool? Offload { get; set; }
    public int? Threads { get; set; }
    public int? MaxSessions { get; set; }
    public List<string>? Block { get; set; }
    public List<string>? Allow { get; set; }
    public bool? ClientToClient { get; set; }
    public List<string>? Routes { get; set; }
    public List<string>? Dns { get; set; }
    public List<string>? DnsSearch { get; set; }
    public string? MetricsListen { get; set; }
    public bool? SinglePort { get; set; }
    public List<ClientConfigEntry>? Clients { get; set; }

    [TomlExtensionData]
    public Dictionary<string, object?>? Unknown { get; set; }

    public IEnumerable<(string Where, string Key, int Table)> UnknownKeys()
    {
        foreach (var key in Unknown?.Keys ?? Enumerable.Empty<string>())
            yield return ("", key, ConfigLines.Top);
        var clients = Clients ?? [];
        for (var i = 0; i < clients.Count; i++)
            foreach (var key in clients[i].Unknown?.Keys ?? Enumerable.Empty<string>())
                yield return ($" in [[clients]] #{i + 1}", key, i + 1);
    }
}

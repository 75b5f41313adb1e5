using Tomlyn.Serialization;

namespace MyVpn.Cli.Config;

/// <summary>client.toml as written (see examples/client.toml); <see cref="ClientConfig"/> validates it.</summary>
internal sealed class ClientConfigFile : IHasUnknownKeys
{
    public string? Server { get; set; }
    public string? Name { get; set; }
    public string? Key { get; set; }
    public string? KeyFile { get; set; }
    public string? Tun { get; set; }
    public bool? DefaultRoute { get; set; }
    public long? Fwmark { get; set; }
    public string? LogLevel { get; set; }
    public bool? Offload { get; set; }
    public int? Threads { get; set; }
    public bool? AcceptRoutes { get; set; }
    public bool? AcceptDns { get; set; }
    public string? MetricsListen { get; set; }
    public int? Mtu { get; set; }

    [TomlExtensionData]
    public Dictionary<string, object?>? Unknown { get; set; }

    public IEnumerable<(string Where, string Key, int Table)> UnknownKeys() =>
        (Unknown?.Keys ?? Enumerable.Empty<string>()).Select(key => ("", key, ConfigLines.Top));
}

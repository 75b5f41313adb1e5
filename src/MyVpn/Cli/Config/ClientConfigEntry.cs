using Tomlyn.Serialization;

namespace MyVpn.Cli.Config;

/// <summary>One <c>[[clients]]</c> table: a name, its key inline or in a file, and optionally a fixed address and an MTU of its own.</summary>
internal sealed class ClientConfigEntry
{
    public string? Name { get; set; }
    public string? Key { get; set; }
    public string? KeyFile { get; set; }
    public string? Address { get; set; }
    public int? Mtu { get; set; }
    public bool? Ipv6 { get; set; }

    [TomlExtensionData]
    public Dictionary<string, object?>? Unknown { get; set; }
}

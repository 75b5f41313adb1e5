using System.Text.Json.Serialization;
using Tomlyn.Serialization;

namespace MyVpn.Cli.Config;

/// <summary>The config files' TOML mapping, generated at build time (no reflection: the daemon is compiled ahead of time).</summary>
[TomlSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[TomlSerializable(typeof(ServerConfigFile))]
[TomlSerializable(typeof(ClientConfigFile))]
internal sealed partial class ConfigTomlContext : TomlSerializerContext;

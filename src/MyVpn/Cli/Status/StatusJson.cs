using System.Text.Json.Serialization;

namespace MyVpn.Cli.Status;

/// <summary>The status JSON, generated at build time (no reflection: the daemon is compiled ahead of time); snake_case keys.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    RespectRequiredConstructorParameters = false)]
[JsonSerializable(typeof(StatusReport))]
internal sealed partial class StatusJson : JsonSerializerContext;

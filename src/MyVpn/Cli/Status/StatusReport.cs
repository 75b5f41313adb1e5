using System.Text.Json.Serialization;

namespace MyVpn.Cli.Status;

/// <summary>
/// What <c>myvpn status</c> shows of a running daemon, and the JSON its control socket answers <c>status</c>
/// with (schema 1, documented field by field in docs/operations.md, "Status"). Fields that only one role
/// has are left out of the other's JSON.
/// </summary>
internal sealed record StatusReport
{
    /// <summary>The version of this layout; a change that breaks a reader gets a new number.</summary>
    public const int CurrentSchema = 1;

    public int Schema { get; init; } = CurrentSchema;

    /// <summary><c>server</c> or <c>client</c>.</summary>
    public required string Role { get; init; }

    public required int Pid { get; init; }

    /// <summary>The tun device.</summary>
    public required string Interface { get; init; }

    /// <summary>Server: the TCP handshake address.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Listen { get; init; }

    /// <summary>Server: the session port range, <c>first-last</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Ports { get; init; }

    /// <summary>Server: its VPN address; client: the address it was granted (null before the first session).</summary>
    public string? Address { get; init; }

    /// <summary>The VPN subnet, <c>a.b.c.d/n</c> (client: null before the first session).</summary>
    public string? Subnet { get; init; }

    /// <summary>Client: the server's handshake endpoint, as configured (resolved).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Server { get; init; }

    /// <summary>Client: the name it gives the server.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    /// <summary>Client: true while a session is up.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Connected { get; init; }

    /// <summary>Inner packets received from peers and sent to them, daemon-wide since it started.</summary>
    public required TrafficStatus Traffic { get; init; }

    /// <summary>Packets and datagrams not delivered since the daemon started, by reason (the names of docs/protocol.md §7.3), every reason listed.</summary>
    public required SortedDictionary<string, long> Drops { get; init; }

    /// <summary>Server: every live session, oldest first; client: its session (none between sessions).</summary>
    public required IReadOnlyList<SessionStatus> Sessions { get; init; }
}

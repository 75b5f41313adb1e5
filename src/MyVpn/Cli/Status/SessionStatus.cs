namespace MyVpn.Cli.Status;

/// <summary>One session in <see cref="StatusReport.Sessions"/>.</summary>
internal sealed record SessionStatus
{
    /// <summary>The client's name.</summary>
    public required string Name { get; init; }

    /// <summary>The session id of the current keys (it changes at every rekey).</summary>
    public required uint SessionId { get; init; }

    /// <summary>The client's VPN address.</summary>
    public required string Address { get; init; }

    /// <summary>The server's UDP port for this session.</summary>
    public required int Port { get; init; }

    /// <summary>The peer's public UDP endpoint (server: the client's, null until its first datagram; client: the server's session port).</summary>
    public string? Endpoint { get; init; }

    /// <summary>Whole seconds since the last handshake (the session's start or its last rekey).</summary>
    public required long SecondsSinceHandshake { get; init; }

    public required TrafficStatus Traffic { get; init; }

    /// <summary>This session's drops by reason, every reason listed (client: the same as the daemon's).</summary>
    public required SortedDictionary<string, long> Drops { get; init; }
}

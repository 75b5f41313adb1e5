namespace MyVpn.Sim.Scenarios;

/// <summary>What a <see cref="ScaleScenario"/> run showed: who connected, pinged and held on, and the server's memory per session.</summary>
internal sealed record ScaleReport
{
    public required int Clients { get; init; }

    /// <summary>Virtual time when the last client had its session.</summary>
    public required TimeSpan ConnectedBy { get; init; }

    /// <summary>Pings to the server's VPN address answered, right after connecting.</summary>
    public required int ServerPingsAnswered { get; init; }

    /// <summary>Pings from each client to the next one (through the server) answered.</summary>
    public required int PeerPingsAnswered { get; init; }

    /// <summary>How long every session was left idle, keepalives only.</summary>
    public required TimeSpan Idle { get; init; }

    /// <summary>The server's session timeout: a session with nothing authentic for this long is closed.</summary>
    public required TimeSpan SessionTimeout { get; init; }

    /// <summary>Clients that sent at least one datagram to the server while idle, and that got one from it.</summary>
    public required int ClientsKeptAlive { get; init; }
    public required int ClientsKeptAliveByServer { get; init; }

    /// <summary>Datagrams between clients and the server while idle, both ways.</summary>
    public required long IdleDatagrams { get; init; }

    /// <summary>Clients that handshook again during the idle period (a session lost; should be none).</summary>
    public required int Reconnected { get; init; }

    /// <summary>Sessions the server held after the idle period.</summary>
    public required int ServerSessions { get; init; }

    /// <summary>Pings to the server answered after the idle period.</summary>
    public required int PingsAnsweredAfterIdle { get; init; }

    /// <summary>The first invariant violation, or null.</summary>
    public required string? Violation { get; init; }

    /// <summary>Events the simulation ran.</summary>
    public required long Events { get; init; }

    /// <summary>The server engine's footprint with every session, and an empty server's (only when measured).</summary>
    public ServerFootprint? Footprint { get; init; }
    public ServerFootprint? EmptyFootprint { get; init; }

    /// <summary>Everything held: every client connected, pinged, stayed connected through the idle period and pinged again.</summary>
    public bool Passed =>
        ServerPingsAnswered == Clients && PeerPingsAnswered == Clients && ClientsKeptAlive == Clients &&
        ClientsKeptAliveByServer == Clients && Reconnected == 0 && ServerSessions == Clients &&
        PingsAnsweredAfterIdle == Clients && Violation is null;
}

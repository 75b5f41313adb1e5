namespace MyVpn.Sim;

/// <summary>What happens to the network, or at one boundary of an engine, at one moment of the chaos phase.</summary>
internal enum FaultKind
{
    /// <summary>The server host reboots; its engine is re-created with the same options.</summary>
    ServerRestart,
    /// <summary>A client host reboots; its engine is re-created.</summary>
    ClientRestart,
    /// <summary>A client's public address changes (NAT rebinding).</summary>
    Roam,
    /// <summary>Nothing crosses between a client and the server, either way, for <see cref="ScheduledFault.Duration"/>.</summary>
    Partition,
    /// <summary>An on-path attacker injects forged, tampered, truncated and replayed datagrams (spoofed sources).</summary>
    Forgery,
    /// <summary>A host's wall clock is set forward or back (<see cref="ScheduledFault.Variant"/> says which and how far).</summary>
    WallClockStep,
    /// <summary>A host stops for <see cref="ScheduledFault.Duration"/> (suspend, a stalled VM): its monotonic time jumps forward.</summary>
    HostPause,
    /// <summary>A host's UDP sends fail (EAGAIN, ENOBUFS, EMSGSIZE) or succeed in part, for <see cref="ScheduledFault.Duration"/>.</summary>
    SendFailure,
    /// <summary>A host's tun device fails or disappears, and comes back after <see cref="ScheduledFault.Duration"/>.</summary>
    TunFailure,
    /// <summary>A host's tun writer blocks for <see cref="ScheduledFault.Duration"/>.</summary>
    TunWriterStall,
    /// <summary>A handshake stream is reset part-way through, for <see cref="ScheduledFault.Duration"/>.</summary>
    StreamReset,
    /// <summary>A handshake stream stops moving part-way through, for <see cref="ScheduledFault.Duration"/>.</summary>
    StreamStall,
    /// <summary>The server reloads its configuration while sessions run.</summary>
    Reload,
    /// <summary>A session rekeys now, whatever its schedule says.</summary>
    Rekey,
    /// <summary>The server's name moves to a new public address.</summary>
    MoveServer,
}

namespace MyVpn.Sim;

/// <summary>What happens to the network at one moment of the chaos phase.</summary>
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
}

namespace MyVpn.Sim.Scenarios;

/// <summary>How the server's name follows it when it moves (<see cref="SeedNetwork.MoveServer(Net.IPv4Address, ServerNameUpdate, TimeSpan)"/>).</summary>
internal enum ServerNameUpdate
{
    /// <summary>The name points at the new address as the server comes up there.</summary>
    AtOnce,

    /// <summary>The name resolves to nothing until the update arrives (lookups fail and are retried).</summary>
    Late,

    /// <summary>
    /// The name still points at the old address until the update arrives, and another machine has that
    /// address now, accepting connections on the handshake port and never answering.
    /// </summary>
    Stale,
}

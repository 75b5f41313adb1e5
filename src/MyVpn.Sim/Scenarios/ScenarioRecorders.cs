namespace MyVpn.Sim.Scenarios;

/// <summary>
/// What a chaos run writes down besides its result (<c>run --trace/--pcap/--keylog</c>): every trace
/// line, every wire event, every session's data keys. None of it changes the run.
/// </summary>
internal sealed record ScenarioRecorders
{
    /// <summary>Receives every trace line (only the trace: never the engines' log lines).</summary>
    public TextWriter? Trace { get; init; }

    /// <summary>Sees every event on the simulated wire, with its bytes, as the trace records it.</summary>
    public Action<WireEvent>? Wire { get; init; }

    /// <summary>Receives every session's data keys, from the server and from each client.</summary>
    public Action<Protocol.SessionKeys>? KeyLog { get; init; }
}

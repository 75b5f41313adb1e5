namespace MyVpn.Sim.Scenarios;

/// <summary>
/// How one seeded run went: passed, or the first problem found; its fingerprint; and how long after
/// the network healed every client reached everyone (<see cref="Recovery"/>, null if it never did).
/// </summary>
internal sealed record ScenarioResult(
    ulong Seed,
    int Clients,
    FaultPlan Plan,
    string? Failure,
    string Fingerprint,
    long TraceLines,
    TimeSpan VirtualTime,
    int PingsSent,
    int PingsReplied,
    TimeSpan? Recovery,
    IReadOnlyList<string> TraceTail)
{
    public bool Passed => Failure is null;

    /// <summary>Whether the run had IPv6 inside the tunnel (<c>--ipv6</c>).</summary>
    public bool Ipv6 { get; init; }

    /// <summary>The one line that replays this run.</summary>
    public string Reproduction => $"dotnet run --project src/MyVpn.Sim -c Release -- run --seed {Seed}" + (Ipv6 ? " --ipv6" : "");
}

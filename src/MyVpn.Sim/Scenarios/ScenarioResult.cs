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

    /// <summary>Whether the run had IPv6 inside the tunnel (the seed's choice, <see cref="ChaosScenario.Ipv6For"/>, or an override).</summary>
    public bool Ipv6 { get; init; }

    /// <summary>The one line that replays this run: the seed, and the family override if the run had one.</summary>
    public string Reproduction => $"dotnet run --project src/MyVpn.Sim -c Release -- run --seed {Seed}" +
                                  (Ipv6 == ChaosScenario.Ipv6For(Seed) ? "" : Ipv6 ? " --ipv6" : " --no-ipv6");
}

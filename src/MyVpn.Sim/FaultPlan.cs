namespace MyVpn.Sim;

/// <summary>
/// Every fault a scenario injects, as knobs drawn from one seed (swarm testing: each run turns on
/// a different mix). Link knobs apply to the client↔server WAN; the events happen once at a drawn
/// time during the chaos phase. Probabilities are integers per mille.
/// </summary>
internal sealed record FaultPlan
{
    /// <summary>No faults at all: clean links, no restarts, nobody moves.</summary>
    public static readonly FaultPlan None = new();

    public LinkFaults Links { get; init; } = LinkFaults.None;

    /// <summary>When the server host restarts (its engine re-created with the same options), if at all.</summary>
    public TimeSpan? ServerRestartAt { get; init; }

    /// <summary>When a client's public address changes (NAT rebinding), if at all.</summary>
    public TimeSpan? RoamAt { get; init; }

    /// <summary>Which client roams (index into the clients).</summary>
    public int RoamingClient { get; init; }

    /// <summary>When a client host restarts, if at all.</summary>
    public TimeSpan? ClientRestartAt { get; init; }

    /// <summary>Which client restarts (index into the clients).</summary>
    public int RestartingClient { get; init; }

    /// <summary>Draws a plan for a chaos phase of <paramref name="chaos"/> with <paramref name="clients"/> clients.</summary>
    public static FaultPlan Draw(SimRandom random, TimeSpan chaos, int clients)
    {
        var delayMin = TimeSpan.FromMilliseconds(random.NextInRange(1, 40));
        var links = new LinkFaults
        {
            LossPerMille = random.Chance(700) ? (int)random.NextInRange(0, 300) : 0,
            DuplicatePerMille = random.Chance(500) ? (int)random.NextInRange(0, 200) : 0,
            DelayMin = delayMin,
            DelayMean = delayMin + (random.Chance(600) ? TimeSpan.FromMilliseconds(random.NextInRange(0, 150)) : TimeSpan.Zero),
        };
        return new FaultPlan
        {
            Links = links,
            ServerRestartAt = DrawTime(random, 400, chaos),
            RoamAt = DrawTime(random, 400, chaos),
            RoamingClient = (int)random.Next(clients),
            ClientRestartAt = DrawTime(random, 250, chaos),
            RestartingClient = (int)random.Next(clients),
        };
    }

    private static TimeSpan? DrawTime(SimRandom random, int perMille, TimeSpan chaos) =>
        random.Chance(perMille) ? TimeSpan.FromMilliseconds(random.Next((long)chaos.TotalMilliseconds)) : null;

    public override string ToString()
    {
        var parts = new List<string> { Links.ToString() };
        if (ServerRestartAt is { } s) parts.Add($"server-restart@{s.TotalSeconds:0.000}s");
        if (RoamAt is { } r) parts.Add($"roam(client {RoamingClient})@{r.TotalSeconds:0.000}s");
        if (ClientRestartAt is { } c) parts.Add($"client-restart(client {RestartingClient})@{c.TotalSeconds:0.000}s");
        return string.Join(" ", parts);
    }
}

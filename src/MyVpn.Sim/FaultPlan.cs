namespace MyVpn.Sim;

/// <summary>
/// Every fault a scenario injects, drawn from one seed (swarm testing: each run turns on a different
/// mix). <see cref="Links"/> applies to the client↔server WAN for the whole chaos phase; the
/// <see cref="Events"/> strike once each. Probabilities are integers per mille.
/// </summary>
internal sealed record FaultPlan
{
    /// <summary>No faults at all: clean links, no restarts, nobody moves.</summary>
    public static readonly FaultPlan None = new();

    public LinkFaults Links { get; init; } = LinkFaults.None;

    /// <summary>The one-off faults, in time order.</summary>
    public IReadOnlyList<ScheduledFault> Events { get; init; } = [];

    /// <summary>Draws a plan for a chaos phase of <paramref name="chaos"/> with <paramref name="clients"/> clients.</summary>
    public static FaultPlan Draw(SimRandom random, TimeSpan chaos, int clients)
    {
        var delayMin = TimeSpan.FromMilliseconds(random.NextInRange(1, 40));
        var links = new LinkFaults
        {
            LossPerMille = random.Chance(700) ? (int)random.NextInRange(0, 400) : 0,
            DuplicatePerMille = random.Chance(500) ? (int)random.NextInRange(0, 200) : 0,
            ReplayPerMille = random.Chance(300) ? (int)random.NextInRange(0, 100) : 0,
            DelayMin = delayMin,
            DelayMean = delayMin + (random.Chance(600) ? TimeSpan.FromMilliseconds(random.NextInRange(0, 200)) : TimeSpan.Zero),
        };
        var events = new List<ScheduledFault>();
        var count = random.Next(6);
        for (var i = 0; i < count; i++)
        {
            var kind = (FaultKind)random.Next(Kinds);
            var at = TimeSpan.FromMilliseconds(random.Next((long)chaos.TotalMilliseconds));
            var client = (int)random.Next(clients);
            var duration = kind switch
            {
                FaultKind.Partition => TimeSpan.FromMilliseconds(random.NextInRange(500, 40_000)),
                FaultKind.ServerRestart or FaultKind.ClientRestart or FaultKind.Roam or FaultKind.Forgery => TimeSpan.Zero,
                _ => TimeSpan.FromMilliseconds(random.NextInRange(100, 20_000)),
            };
            var variant = (int)random.Next(1000);
            events.Add(new ScheduledFault(at, kind, client, duration, variant));
        }
        return new FaultPlan { Links = links, Events = events.OrderBy(e => e.At).ThenBy(e => e.Kind).ThenBy(e => e.Client).ToList() };
    }

    /// <summary>How many kinds a plan draws from: every <see cref="FaultKind"/>.</summary>
    private static readonly int Kinds = Enum.GetValues<FaultKind>().Length;

    public bool Has(FaultKind kind) => Events.Any(e => e.Kind == kind);

    public override string ToString() => string.Join(" ", Events.Select(e => e.ToString()).Prepend(Links.ToString()));

    public bool Equals(FaultPlan? other) =>
        other is not null && Links == other.Links && Events.SequenceEqual(other.Events);

    public override int GetHashCode() => HashCode.Combine(Links, Events.Count);
}

namespace MyVpn.Sim;

/// <summary>
/// How one direction of a link treats what crosses it. Each datagram takes
/// <see cref="DelayMin"/> plus an exponential draw with mean <see cref="DelayMean"/> − <see cref="DelayMin"/>,
/// so jitter reorders datagrams whenever the mean exceeds the minimum.
/// </summary>
internal sealed record LinkFaults
{
    /// <summary>A clean link: 5 ms each way, nothing lost, duplicated or reordered.</summary>
    public static readonly LinkFaults None = new();

    /// <summary>Probability (per mille) that a datagram is lost. A stream segment is retransmitted instead.</summary>
    public int LossPerMille { get; init; }

    /// <summary>Probability (per mille) that a datagram arrives twice (stream segments never do).</summary>
    public int DuplicatePerMille { get; init; }

    /// <summary>
    /// Probability (per mille) that a copy of a datagram arrives again much later (0.5–20 s), as an
    /// attacker replaying captured traffic would send it (stream segments never are).
    /// </summary>
    public int ReplayPerMille { get; init; }

    /// <summary>The least one-way delay.</summary>
    public TimeSpan DelayMin { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>The mean one-way delay; above <see cref="DelayMin"/> means jitter and reordering.</summary>
    public TimeSpan DelayMean { get; init; } = TimeSpan.FromMilliseconds(5);

    public override string ToString() =>
        $"loss={LossPerMille}‰ dup={DuplicatePerMille}‰ replay={ReplayPerMille}‰ delay={DelayMin.TotalMilliseconds}ms..mean {DelayMean.TotalMilliseconds}ms";
}

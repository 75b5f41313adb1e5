namespace MyVpn.Sim;

/// <summary>
/// One direction between two hosts: decides, from its own random stream, what becomes of each
/// datagram (lost, delivered after a delay, or delivered twice) and delivers stream segments
/// reliably and in order (a lost segment arrives late, as after a retransmission).
/// </summary>
internal sealed class SimLink(SimHost source, SimHost target, SimRandom random, LinkFaults faults)
{
    /// <summary>Stand-in for TCP's retransmission timeout: what one lost segment costs.</summary>
    public static readonly TimeSpan RetransmissionDelay = TimeSpan.FromMilliseconds(200);

    private long _lastSegmentArrival;

    public SimHost Source { get; } = source;
    public SimHost Target { get; } = target;
    public LinkFaults Faults { get; set; } = faults;

    /// <summary>
    /// The copies of one datagram that arrive, each with its delay and whether it is a duplicate or a
    /// late replay: none (lost), one, or more.
    /// </summary>
    public IReadOnlyList<Arrival> DecideDatagram()
    {
        var arrivals = new List<Arrival>(1);
        if (!random.Chance(Faults.LossPerMille))
            arrivals.Add(new Arrival(DrawDelay(), ArrivalKind.Deliver));
        if (random.Chance(Faults.DuplicatePerMille))
            arrivals.Add(new Arrival(DrawDelay(), ArrivalKind.Duplicate));
        if (random.Chance(Faults.ReplayPerMille))
            arrivals.Add(new Arrival(TimeSpan.FromMilliseconds(random.NextInRange(500, 20_000)), ArrivalKind.Replay));
        return arrivals;
    }

    /// <summary>
    /// When a stream segment sent at <paramref name="now"/> (ticks) arrives: never lost, never
    /// before an earlier segment on this link. <paramref name="retransmissions"/> counts the losses.
    /// </summary>
    public long DecideSegment(long now, out int retransmissions)
    {
        retransmissions = 0;
        var delay = DrawDelay();
        while (retransmissions < 8 && random.Chance(Faults.LossPerMille))
        {
            retransmissions++;
            delay += RetransmissionDelay * (1 << (retransmissions - 1));
        }
        var arrival = Math.Max(now + delay.Ticks, _lastSegmentArrival);
        _lastSegmentArrival = arrival;
        return arrival;
    }

    private TimeSpan DrawDelay()
    {
        var jitterMean = Faults.DelayMean - Faults.DelayMin;
        return Faults.DelayMin + random.Exponential(jitterMean);
    }
}

/// <summary>How a copy of a datagram comes to arrive.</summary>
internal enum ArrivalKind
{
    Deliver,
    Duplicate,
    Replay,
}

/// <summary>One copy of a datagram arriving after <see cref="Delay"/>.</summary>
internal readonly record struct Arrival(TimeSpan Delay, ArrivalKind Kind);

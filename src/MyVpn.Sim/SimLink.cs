namespace MyVpn.Sim;

/// <summary>
/// One direction between two hosts: decides, from its own random stream, what becomes of each
/// datagram (lost, delivered after a delay, or delivered twice) and delivers stream segments
/// reliably and in order (a lost segment arrives late, as after a retransmission).
/// </summary>
internal sealed class SimLink(SimHost source, SimHost target, SimRandom random, LinkFaults faults)
{
    /// <summary>TCP's first retransmission timeout; each next one is twice as long, up to <see cref="MaxRetransmissionDelay"/>.</summary>
    public static readonly TimeSpan RetransmissionDelay = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan MaxRetransmissionDelay = TimeSpan.FromSeconds(60);

    /// <summary>Random losses a segment suffers at most before it gets through (a partition may hold it longer).</summary>
    private const int MaxRandomLosses = 8;

    public SimHost Source { get; } = source;
    public SimHost Target { get; } = target;
    public LinkFaults Faults { get; set; } = faults;

    /// <summary>Until when (ticks) nothing gets across: a partition. Datagrams are lost; segments wait for a retransmission after it.</summary>
    public long DownUntil { get; set; }

    /// <summary>
    /// The copies of one datagram that arrive, each with its delay and whether it is a duplicate or a
    /// late replay: none (lost), one, or more.
    /// </summary>
    public IReadOnlyList<Arrival> DecideDatagram(long now)
    {
        var arrivals = new List<Arrival>(1);
        if (now < DownUntil)
            return arrivals;
        if (!random.Chance(Faults.LossPerMille))
            arrivals.Add(new Arrival(DrawDelay(), ArrivalKind.Deliver));
        if (random.Chance(Faults.DuplicatePerMille))
            arrivals.Add(new Arrival(DrawDelay(), ArrivalKind.Duplicate));
        if (random.Chance(Faults.ReplayPerMille))
            arrivals.Add(new Arrival(TimeSpan.FromMilliseconds(random.NextInRange(500, 20_000)), ArrivalKind.Replay));
        return arrivals;
    }

    /// <summary>
    /// When a stream segment sent at <paramref name="now"/> (ticks) arrives: never lost, only late.
    /// Each loss (random, or the link being down) costs a retransmission timeout, doubling each time;
    /// the segment never arrives before <paramref name="notBefore"/> (the connection's previous one).
    /// </summary>
    public long DecideSegment(long now, long notBefore, out int retransmissions)
    {
        retransmissions = 0;
        var sentAt = now;
        var randomLosses = 0;
        while (true)
        {
            var down = sentAt < DownUntil;
            if (!down && (randomLosses == MaxRandomLosses || !random.Chance(Faults.LossPerMille)))
                break;
            if (!down)
                randomLosses++;
            var timeout = RetransmissionDelay * (1L << Math.Min(retransmissions, 20));
            sentAt += Math.Min(timeout.Ticks, MaxRetransmissionDelay.Ticks);
            retransmissions++;
        }
        return Math.Max(sentAt + DrawDelay().Ticks, notBefore);
    }

    private TimeSpan DrawDelay()
    {
        var jitterMean = Faults.DelayMean - Faults.DelayMin;
        return Faults.DelayMin + random.Exponential(jitterMean);
    }
}

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

    /// <summary>Delays of the copies of one datagram that arrive: none (lost), one, or two (duplicated).</summary>
    public IReadOnlyList<TimeSpan> DecideDatagram()
    {
        if (random.Chance(Faults.LossPerMille))
            return [];
        var first = DrawDelay();
        return random.Chance(Faults.DuplicatePerMille) ? [first, DrawDelay()] : [first];
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

namespace MyVpn.Tunnel;

/// <summary>
/// An engine's traffic since it started, a snapshot: inner packets and their bytes opened from peers (rx)
/// and sealed for them (tx); keepalives and rekey messages are not counted.
/// </summary>
public sealed record TrafficTotals(long RxPackets, long RxBytes, long TxPackets, long TxBytes)
{
    public static TrafficTotals Zero { get; } = new(0, 0, 0, 0);

    public TrafficTotals Plus(long rxPackets, long rxBytes, long txPackets, long txBytes) =>
        new(RxPackets + rxPackets, RxBytes + rxBytes, TxPackets + txPackets, TxBytes + txBytes);
}

namespace MyVpn.Tunnel;

/// <summary>
/// Packets and bytes counted by one thread in a local while it works through a batch, then added to the
/// shared counters once for the whole batch (no per-packet write to memory other threads read).
/// </summary>
public struct TrafficTally
{
    public long Packets;
    public long Bytes;

    public void Add(int bytes)
    {
        Packets++;
        Bytes += bytes;
    }
}

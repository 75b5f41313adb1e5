namespace MyVpn.Captures;

/// <summary>The data packets of one direction of a session in a capture: how many, their bytes, and how many were keepalives.</summary>
public sealed class DirectionCount
{
    public int Packets { get; set; }
    public long Bytes { get; set; }
    public int Keepalives { get; set; }
}

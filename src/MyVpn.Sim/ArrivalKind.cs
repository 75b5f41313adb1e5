namespace MyVpn.Sim;

/// <summary>How a copy of a datagram comes to arrive.</summary>
internal enum ArrivalKind
{
    Deliver,
    Duplicate,
    Replay,
}

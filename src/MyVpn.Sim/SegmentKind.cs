namespace MyVpn.Sim;

/// <summary>What a simulated TCP segment does.</summary>
internal enum SegmentKind
{
    Syn,
    SynAck,
    Data,
    Fin,
    Rst,
}

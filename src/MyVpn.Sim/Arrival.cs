namespace MyVpn.Sim;

/// <summary>One copy of a datagram arriving after <see cref="Delay"/>.</summary>
internal readonly record struct Arrival(TimeSpan Delay, ArrivalKind Kind);

namespace MyVpn.Metrics;

/// <summary>
/// An engine's traffic since start: packets and bytes received from its peers and opened (in), and
/// sealed and sent to them (out). What <c>myvpn_packets_total</c> and <c>myvpn_bytes_total</c> report.
/// </summary>
public readonly record struct TrafficTotals(long PacketsIn, long PacketsOut, long BytesIn, long BytesOut);

namespace MyVpn.Metrics;

/// <summary>
/// A histogram as collected: the buckets' upper bounds, how many observations fell into each bucket
/// (not cumulative; one more entry than <see cref="Bounds"/>: those above the last bound), their sum and count.
/// </summary>
public sealed record MetricHistogram(IReadOnlyList<double> Bounds, IReadOnlyList<long> Counts, double Sum, long Count);

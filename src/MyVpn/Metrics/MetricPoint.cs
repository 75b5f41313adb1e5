namespace MyVpn.Metrics;

/// <summary>One series of a metric: its labels (in the order the instrument gave them) and its value, or its histogram.</summary>
public sealed record MetricPoint(IReadOnlyList<KeyValuePair<string, string>> Labels, double Value, MetricHistogram? Histogram = null);

namespace MyVpn.Metrics;

/// <summary>One instrument as collected: its name, its description (the HELP text), its kind and its series.</summary>
public sealed record MetricFamily(string Name, string Help, MetricKind Kind, IReadOnlyList<MetricPoint> Points);

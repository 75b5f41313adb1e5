namespace MyVpn.Metrics;

/// <summary>The Prometheus type a collected instrument is written as.</summary>
public enum MetricKind
{
    /// <summary>A total that only goes up (observable counters, counters).</summary>
    Counter,

    /// <summary>A value that goes up and down (observable gauges, up-down counters).</summary>
    Gauge,

    /// <summary>Observations counted into buckets, with their sum and count.</summary>
    Histogram,
}

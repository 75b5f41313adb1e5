using System.Diagnostics.Metrics;
using MyVpn.Metrics;
using Xunit;

namespace MyVpn.Tests.Unit.Metrics;

/// <summary>The collector keeps running totals of counters and histograms and reads observable instruments when asked.</summary>
public sealed class MetricsCollectorTests
{
    private static MetricFamily Family(IReadOnlyList<MetricFamily> families, string name) => Assert.Single(families, f => f.Name == name);

    [Fact]
    public void Observable_instruments_report_their_value_at_each_collection()
    {
        using var meter = new Meter("test.observable");
        long packets = 5;
        meter.CreateObservableCounter("packets_total", () => new Measurement<long>(packets, new KeyValuePair<string, object?>("direction", "in")), description: "p");
        meter.CreateObservableGauge("sessions", () => (int)(packets / 5));
        using var collector = new MetricsCollector(meter);

        var first = collector.Collect();
        packets = 15;
        var second = collector.Collect();

        var counter = Family(first, "packets_total");
        Assert.Equal(MetricKind.Counter, counter.Kind);
        Assert.Equal("p", counter.Help);
        Assert.Equal(5, Assert.Single(counter.Points).Value);
        Assert.Equal([new KeyValuePair<string, string>("direction", "in")], counter.Points[0].Labels);
        Assert.Equal(15, Assert.Single(Family(second, "packets_total").Points).Value);
        Assert.Equal(MetricKind.Gauge, Family(second, "sessions").Kind);
        Assert.Equal(3, Assert.Single(Family(second, "sessions").Points).Value);
    }

    [Fact]
    public void Counters_add_up_per_label_set_and_show_zero_before_anything_is_recorded()
    {
        using var meter = new Meter("test.counter");
        var counter = meter.CreateCounter<long>("events_total");
        using var collector = new MetricsCollector(meter);
        Assert.Equal(0, Assert.Single(Family(collector.Collect(), "events_total").Points).Value);

        counter.Add(2, new KeyValuePair<string, object?>("kind", "a"));
        counter.Add(3, new KeyValuePair<string, object?>("kind", "a"));
        counter.Add(1, new KeyValuePair<string, object?>("kind", "b"));

        var points = Family(collector.Collect(), "events_total").Points;
        Assert.Equal(5, Assert.Single(points, p => p.Labels.Count == 1 && p.Labels[0].Value == "a").Value);
        Assert.Equal(1, Assert.Single(points, p => p.Labels.Count == 1 && p.Labels[0].Value == "b").Value);
    }

    [Fact]
    public void Histogram_counts_each_value_into_the_first_bucket_whose_bound_is_not_below_it()
    {
        using var meter = new Meter("test.histogram");
        var histogram = meter.CreateHistogram("latency_seconds", "s", "l", null, new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        using var collector = new MetricsCollector(meter);

        foreach (var value in new[] { 0.05, 0.1, 0.5, 3.0 })
            histogram.Record(value);

        var point = Assert.Single(Family(collector.Collect(), "latency_seconds").Points);
        var h = Assert.IsType<MetricHistogram>(point.Histogram);
        Assert.Equal([0.1, 1], h.Bounds);
        Assert.Equal([2L, 1, 1], h.Counts);
        Assert.Equal(4, h.Count);
        Assert.Equal(3.65, h.Sum, 9);
    }

    [Fact]
    public void Instruments_of_another_meter_of_the_same_name_are_not_collected()
    {
        using var mine = new Meter("MyVpn");
        using var other = new Meter("MyVpn");
        mine.CreateObservableGauge("sessions", () => 1);
        other.CreateObservableGauge("sessions", () => 99);
        other.CreateObservableGauge("other_only", () => 7);
        using var collector = new MetricsCollector(mine);

        var families = collector.Collect();

        Assert.Equal(1, Assert.Single(Family(families, "sessions").Points).Value);
        Assert.DoesNotContain(families, f => f.Name == "other_only");
    }
}

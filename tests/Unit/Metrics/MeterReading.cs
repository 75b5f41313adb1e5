using MyVpn.Metrics;
using Xunit;

namespace MyVpn.Tests.Unit.Metrics;

/// <summary>One collection of a meter, read by metric name and one label, as a test asks for values.</summary>
internal sealed class MeterReading(IReadOnlyList<MetricFamily> families)
{
    public MetricFamily Family(string name) => Assert.Single(families, f => f.Name == name);

    /// <summary>The value of the series whose only label is <paramref name="label"/>=<paramref name="value"/> (or the unlabelled one).</summary>
    public double Value(string name, string? label = null, string? value = null) =>
        Assert.Single(Family(name).Points, p => label is null
            ? p.Labels.Count == 0
            : p.Labels.Count == 1 && p.Labels[0].Key == label && p.Labels[0].Value == value).Value;

    public MetricHistogram Histogram(string name) => Assert.IsType<MetricHistogram>(Assert.Single(Family(name).Points).Histogram);
}

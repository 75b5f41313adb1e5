using MyVpn.Metrics;
using Xunit;

namespace MyVpn.Tests.Unit.Metrics;

/// <summary>The exposition against the Prometheus text format 0.0.4: HELP and TYPE lines, labels, escaping, histograms.</summary>
public sealed class PrometheusTextTests
{
    private static KeyValuePair<string, string> L(string key, string value) => new(key, value);

    [Fact]
    public void Counter_and_gauge_get_HELP_and_TYPE_lines_then_one_line_per_series()
    {
        var text = PrometheusText.Write(
        [
            new MetricFamily("myvpn_packets_total", "Packets through the tunnel", MetricKind.Counter,
                [new MetricPoint([L("direction", "in")], 12), new MetricPoint([L("direction", "out")], 7)]),
            new MetricFamily("myvpn_sessions", "Sessions up now", MetricKind.Gauge, [new MetricPoint([], 2)]),
        ]);

        Assert.Equal("""
            # HELP myvpn_packets_total Packets through the tunnel
            # TYPE myvpn_packets_total counter
            myvpn_packets_total{direction="in"} 12
            myvpn_packets_total{direction="out"} 7
            # HELP myvpn_sessions Sessions up now
            # TYPE myvpn_sessions gauge
            myvpn_sessions 2

            """.Replace("\r\n", "\n"), text);
    }

    [Fact]
    public void Label_values_escape_backslash_quote_and_line_feed_and_HELP_escapes_backslash_and_line_feed()
    {
        var text = PrometheusText.Write(
        [
            new MetricFamily("m", "a \\ b\nc \"q\"", MetricKind.Gauge, [new MetricPoint([L("name", "pc\\1 \"x\"\ny")], 1)]),
        ]);

        Assert.Contains("# HELP m a \\\\ b\\nc \"q\"\n", text);
        Assert.Contains("m{name=\"pc\\\\1 \\\"x\\\"\\ny\"} 1\n", text);
        Assert.DoesNotContain("\ny\"", text);
    }

    [Fact]
    public void Histogram_has_cumulative_buckets_with_le_ending_in_plus_Inf_then_sum_and_count()
    {
        var histogram = new MetricHistogram([0.01, 0.1, 1], [2, 0, 3, 1], 4.52, 6);
        var text = PrometheusText.Write(
        [
            new MetricFamily("myvpn_handshake_duration_seconds", "How long", MetricKind.Histogram, [new MetricPoint([], 0, histogram)]),
        ]);

        Assert.Equal("""
            # HELP myvpn_handshake_duration_seconds How long
            # TYPE myvpn_handshake_duration_seconds histogram
            myvpn_handshake_duration_seconds_bucket{le="0.01"} 2
            myvpn_handshake_duration_seconds_bucket{le="0.1"} 2
            myvpn_handshake_duration_seconds_bucket{le="1"} 5
            myvpn_handshake_duration_seconds_bucket{le="+Inf"} 6
            myvpn_handshake_duration_seconds_sum 4.52
            myvpn_handshake_duration_seconds_count 6

            """.Replace("\r\n", "\n"), text);
    }

    [Fact]
    public void Histogram_labels_come_before_le()
    {
        var histogram = new MetricHistogram([1], [1, 0], 0.5, 1);
        var text = PrometheusText.Write([new MetricFamily("h", "", MetricKind.Histogram, [new MetricPoint([L("side", "server")], 0, histogram)])]);

        Assert.Contains("h_bucket{side=\"server\",le=\"1\"} 1\n", text);
        Assert.Contains("h_bucket{side=\"server\",le=\"+Inf\"} 1\n", text);
        Assert.Contains("h_sum{side=\"server\"} 0.5\n", text);
        Assert.Contains("h_count{side=\"server\"} 1\n", text);
    }

    [Theory]
    [InlineData("myvpn.packets", true, "myvpn_packets")]
    [InlineData("a:b-c", true, "a:b_c")]
    [InlineData("a:b", false, "a_b")]
    [InlineData("9lives", true, "_9lives")]
    [InlineData("", false, "_")]
    public void Names_outside_the_format_are_made_valid(string name, bool colonAllowed, string expected) =>
        Assert.Equal(expected, PrometheusText.Name(name, colonAllowed));

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(0.0025, "0.0025")]
    [InlineData(1234567.0, "1234567")]
    public void Numbers_use_the_formats_spelling(double value, string expected) =>
        Assert.Equal(expected, PrometheusText.Number(value));

    [Fact]
    public void A_family_without_series_still_declares_itself()
    {
        var text = PrometheusText.Write([new MetricFamily("empty_total", "Nothing yet", MetricKind.Counter, [])]);

        Assert.Equal("# HELP empty_total Nothing yet\n# TYPE empty_total counter\n", text);
    }
}

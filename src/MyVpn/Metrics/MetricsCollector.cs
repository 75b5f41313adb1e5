using System.Diagnostics.Metrics;
using System.Globalization;

namespace MyVpn.Metrics;

/// <summary>
/// Collects one <see cref="System.Diagnostics.Metrics.Meter"/>'s instruments for a pull-style exporter: a
/// <see cref="MeterListener"/> that keeps the running totals of counters and histograms as they are recorded,
/// and on <see cref="Collect"/> asks the observable instruments for their values now. Instruments of other
/// meters (of the same name or not) are ignored. Thread-safe.
/// </summary>
public sealed class MetricsCollector : IDisposable
{
    /// <summary>Bucket bounds for a histogram that gives no advice: the Prometheus client libraries' defaults.</summary>
    private static readonly double[] DefaultBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Lock _lock = new();
    private readonly Meter _meter;
    private readonly MeterListener _listener = new();
    private readonly List<Series> _series = [];

    public MetricsCollector(Meter meter)
    {
        _meter = meter;
        _listener.InstrumentPublished = Publish;
        _listener.MeasurementsCompleted = (_, state) =>
        {
            lock (_lock)
                _series.Remove((Series)state!);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((Series)state!).Add(value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((Series)state!).Add(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((Series)state!).Add(value, tags));
        _listener.Start();
    }

    private void Publish(Instrument instrument, MeterListener listener)
    {
        if (instrument.Meter != _meter || Describe(instrument) is not { } shape)
            return;
        var series = new Series(instrument, shape.Kind, shape.Observed, shape.Bounds);
        lock (_lock)
            _series.Add(series);
        listener.EnableMeasurementEvents(instrument, series);
    }

    /// <summary>The instrument's kind, whether its values are observed (replaced at each collection), and its bucket bounds.</summary>
    private static (MetricKind Kind, bool Observed, double[]? Bounds)? Describe(Instrument instrument) => instrument switch
    {
        ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> => (MetricKind.Counter, true, null),
        ObservableGauge<long> or ObservableGauge<int> or ObservableGauge<double>
            or ObservableUpDownCounter<long> or ObservableUpDownCounter<int> or ObservableUpDownCounter<double> => (MetricKind.Gauge, true, null),
        Counter<long> or Counter<int> or Counter<double> => (MetricKind.Counter, false, null),
        UpDownCounter<long> or UpDownCounter<int> or UpDownCounter<double> => (MetricKind.Gauge, false, null),
        Histogram<double> h => (MetricKind.Histogram, false, [.. h.Advice?.HistogramBucketBoundaries ?? DefaultBounds]),
        Histogram<long> h => (MetricKind.Histogram, false,
            h.Advice?.HistogramBucketBoundaries is { } bounds ? [.. bounds.Select(b => (double)b)] : DefaultBounds),
        _ => null,
    };

    /// <summary>Every instrument of the meter with its series now, in the order the instruments were created.</summary>
    public IReadOnlyList<MetricFamily> Collect()
    {
        lock (_lock)
        {
            foreach (var series in _series)
                if (series.Observed)
                    series.Clear();
            _listener.RecordObservableInstruments();
            return [.. _series.Select(s => s.Snapshot())];
        }
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>One instrument's series by label set, in the order they first appeared.</summary>
    private sealed class Series
    {
        private readonly Lock _gate = new();
        private readonly Instrument _instrument;
        private readonly double[]? _bounds;
        private readonly Dictionary<string, Point> _byLabels = new(StringComparer.Ordinal);
        private readonly List<Point> _points = [];

        public Series(Instrument instrument, MetricKind kind, bool observed, double[]? bounds)
        {
            _instrument = instrument;
            Kind = kind;
            Observed = observed;
            _bounds = bounds;
            if (!observed)
                Find([]); // a counter or histogram that has recorded nothing yet shows zero
        }

        public MetricKind Kind { get; }
        public bool Observed { get; }

        public void Clear()
        {
            lock (_gate)
            {
                _byLabels.Clear();
                _points.Clear();
            }
        }

        public void Add(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = new KeyValuePair<string, string>[tags.Length];
            for (var i = 0; i < tags.Length; i++)
                labels[i] = new(tags[i].Key, Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? "");
            lock (_gate)
            {
                var point = Find(labels);
                if (Kind == MetricKind.Histogram)
                {
                    var bucket = 0;
                    while (bucket < _bounds!.Length && value > _bounds[bucket])
                        bucket++;
                    point.Buckets![bucket]++;
                    point.Sum += value;
                    point.Count++;
                }
                else if (Observed)
                {
                    point.Value = value;
                }
                else
                {
                    point.Value += value;
                }
            }
        }

        private Point Find(KeyValuePair<string, string>[] labels)
        {
            var key = string.Join("\0", labels.Select(l => $"{l.Key}={l.Value}"));
            if (!_byLabels.TryGetValue(key, out var point))
            {
                point = new Point(labels, Kind == MetricKind.Histogram ? new long[_bounds!.Length + 1] : null);
                _byLabels.Add(key, point);
                _points.Add(point);
            }
            return point;
        }

        public MetricFamily Snapshot()
        {
            lock (_gate)
            {
                var points = _points.Select(p => new MetricPoint(p.Labels, p.Value,
                    p.Buckets is null ? null : new MetricHistogram(_bounds!, [.. p.Buckets], p.Sum, p.Count))).ToList();
                return new MetricFamily(_instrument.Name, _instrument.Description ?? "", Kind, points);
            }
        }
    }

    /// <summary>One label set's running value, or its histogram buckets, sum and count.</summary>
    private sealed class Point(KeyValuePair<string, string>[] labels, long[]? buckets)
    {
        public KeyValuePair<string, string>[] Labels { get; } = labels;
        public long[]? Buckets { get; } = buckets;
        public double Value { get; set; }
        public double Sum { get; set; }
        public long Count { get; set; }
    }
}

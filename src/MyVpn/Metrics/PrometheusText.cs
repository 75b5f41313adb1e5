using System.Globalization;
using System.Text;

namespace MyVpn.Metrics;

/// <summary>
/// Writes collected metrics in the Prometheus text exposition format, version 0.0.4: per metric a
/// <c># HELP</c> and a <c># TYPE</c> line, then one line per series (<c>name{label="value"} number</c>);
/// a histogram as cumulative <c>_bucket</c> lines with an <c>le</c> label ending in <c>+Inf</c>, then
/// <c>_sum</c> and <c>_count</c>. Names are made valid by replacing what the format does not allow with <c>_</c>.
/// </summary>
public static class PrometheusText
{
    /// <summary>The Content-Type of a response in this format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(IEnumerable<MetricFamily> families)
    {
        var text = new StringBuilder();
        foreach (var family in families)
        {
            var name = Name(family.Name, colonAllowed: true);
            text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(Type(family.Kind)).Append('\n');
            foreach (var point in family.Points)
            {
                if (point.Histogram is { } histogram)
                    WriteHistogram(text, name, point.Labels, histogram);
                else
                    WriteSample(text, name, point.Labels, null, Number(point.Value));
            }
        }
        return text.ToString();
    }

    private static void WriteHistogram(StringBuilder text, string name, IReadOnlyList<KeyValuePair<string, string>> labels, MetricHistogram histogram)
    {
        long cumulative = 0;
        for (var i = 0; i < histogram.Bounds.Count; i++)
        {
            cumulative += histogram.Counts[i];
            WriteSample(text, name + "_bucket", labels, Number(histogram.Bounds[i]), cumulative.ToString(CultureInfo.InvariantCulture));
        }
        WriteSample(text, name + "_bucket", labels, "+Inf", histogram.Count.ToString(CultureInfo.InvariantCulture));
        WriteSample(text, name + "_sum", labels, null, Number(histogram.Sum));
        WriteSample(text, name + "_count", labels, null, histogram.Count.ToString(CultureInfo.InvariantCulture));
    }

    private static void WriteSample(StringBuilder text, string name, IReadOnlyList<KeyValuePair<string, string>> labels, string? le, string value)
    {
        text.Append(name);
        if (labels.Count > 0 || le is not null)
        {
            text.Append('{');
            var first = true;
            foreach (var (key, labelValue) in labels)
            {
                if (!first)
                    text.Append(',');
                first = false;
                text.Append(Name(key, colonAllowed: false)).Append("=\"").Append(EscapeLabel(labelValue)).Append('"');
            }
            if (le is not null)
                text.Append(first ? "" : ",").Append("le=\"").Append(le).Append('"');
            text.Append('}');
        }
        text.Append(' ').Append(value).Append('\n');
    }

    private static string Type(MetricKind kind) => kind switch
    {
        MetricKind.Counter => "counter",
        MetricKind.Gauge => "gauge",
        _ => "histogram",
    };

    /// <summary>A number as the format writes it: shortest round-trip form, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// A metric name (<c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>) or label name (the same without <c>:</c>): every other
    /// character becomes <c>_</c>, and a leading digit gets a <c>_</c> in front.
    /// </summary>
    public static string Name(string name, bool colonAllowed)
    {
        var valid = new StringBuilder(name.Length + 1);
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
            valid.Append('_');
        foreach (var c in name)
            valid.Append(char.IsAsciiLetterOrDigit(c) || c == '_' || (colonAllowed && c == ':') ? c : '_');
        return valid.ToString();
    }

    /// <summary>A label value: backslash, double quote and line feed escaped.</summary>
    public static string EscapeLabel(string value) =>
        value.Replace("\\", @"\\").Replace("\"", "\\\"").Replace("\n", @"\n");

    /// <summary>HELP text: backslash and line feed escaped.</summary>
    public static string EscapeHelp(string help) => help.Replace("\\", @"\\").Replace("\n", @"\n");
}

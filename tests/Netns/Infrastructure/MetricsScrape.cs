using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>
/// Scrapes a daemon's metrics endpoint the way Prometheus does, from a thread inside the daemon's
/// namespace: one <c>GET /metrics</c>, the text format parsed into series (<c>name{labels}</c>) and values.
/// </summary>
internal static partial class MetricsScrape
{
    public const string Listen = "127.0.0.1:9586";

    /// <summary>The raw HTTP response to <c>GET /metrics</c> on <paramref name="endpoint"/> from inside <paramref name="ns"/>.</summary>
    public static string Response(string ns, string endpoint = Listen) => NamespaceThread.Run(ns, () =>
    {
        using var client = new TcpClient();
        client.Connect(IPEndPoint.Parse(endpoint));
        var stream = client.GetStream();
        stream.Write("GET /metrics HTTP/1.1\r\nHost: metrics\r\n\r\n"u8);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    });

    /// <summary>Every sample of a scrape by series, e.g. <c>myvpn_packets_total{direction="in"}</c>.</summary>
    public static Dictionary<string, double> Get(string ns, string endpoint = Listen)
    {
        var response = Response(ns, endpoint);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", response);
        Assert.Contains("Content-Type: text/plain; version=0.0.4", response);
        var body = response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        var samples = new Dictionary<string, double>();
        foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#'))
                continue;
            var match = Sample().Match(line);
            Assert.True(match.Success, $"not a sample line of the text format: {line}");
            samples[match.Groups[1].Value] = double.Parse(match.Groups[2].Value.Replace("+Inf", "Infinity"), System.Globalization.CultureInfo.InvariantCulture);
        }
        return samples;
    }

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (\S+)$")]
    private static partial Regex Sample();
}

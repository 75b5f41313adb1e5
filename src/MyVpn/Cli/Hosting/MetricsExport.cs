using Microsoft.Extensions.Logging;
using MyVpn.Linux;
using MyVpn.Metrics;
using MyVpn.Net;

namespace MyVpn.Cli.Hosting;

/// <summary>
/// The daemon's opt-in Prometheus endpoint (<c>--metrics-listen</c>): the engine's <see cref="VpnMeter"/>,
/// a <see cref="MetricsCollector"/> on it, and the HTTP endpoint that writes a collection as text on each
/// scrape. Logs the address it serves on, and says so when that address is not a loopback one.
/// </summary>
internal sealed partial class MetricsExport : IDisposable
{
    private readonly VpnMeter _meter;
    private readonly MetricsCollector _collector;
    private readonly MetricsEndpoint _endpoint;

    private MetricsExport(VpnMeter meter, MetricsCollector collector, MetricsEndpoint endpoint)
    {
        _meter = meter;
        _collector = collector;
        _endpoint = endpoint;
    }

    /// <summary>Starts serving when <paramref name="listen"/> is set; null (nothing to dispose) when it is not.</summary>
    /// <param name="meter">Makes the engine's meter (only when the endpoint is on).</param>
    public static MetricsExport? Start(NetEndpoint? listen, Func<VpnMeter> meter, ILogger logger)
    {
        if (listen is not { } endpoint)
            return null;
        var vpnMeter = meter();
        var collector = new MetricsCollector(vpnMeter.Meter);
        try
        {
            var http = MetricsEndpoint.Start(endpoint,
                head => MetricsHttp.Respond(head, () => PrometheusText.Write(collector.Collect())), MetricsHttp.MaxRequestHead, logger);
            var loopback = (http.LocalEndpoint.Address.Value >> 24) == 127;
            Serving(logger, http.LocalEndpoint, loopback ? "" : " (not a loopback address: reachable from the network)");
            return new MetricsExport(vpnMeter, collector, http);
        }
        catch
        {
            collector.Dispose();
            vpnMeter.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _endpoint.Dispose();
        _collector.Dispose();
        _meter.Dispose();
    }

    [LoggerMessage(EventId = 151, Level = LogLevel.Information, Message = "metrics: Prometheus text on http://{Endpoint}/metrics{Note}")]
    private static partial void Serving(ILogger logger, NetEndpoint endpoint, string note);
}

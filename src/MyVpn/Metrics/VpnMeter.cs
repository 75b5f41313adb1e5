using System.Diagnostics.Metrics;
using System.Reflection;
using MyVpn.Client;
using MyVpn.Protocol;
using MyVpn.Server;
using MyVpn.Tunnel;

namespace MyVpn.Metrics;

/// <summary>
/// The daemon's <see cref="System.Diagnostics.Metrics.Meter"/>, named <see cref="MeterName"/>: observable
/// instruments over one engine's counters (sessions, handshakes by result, packets and bytes each way,
/// drops by reason, rekeys), read only when a listener collects, and a histogram of handshake durations
/// recorded as each handshake completes. Nothing here runs per packet. Instrument names are the
/// Prometheus names (docs/operations.md, <i>Metrics</i>); any <see cref="MeterListener"/> can read them.
/// </summary>
public sealed class VpnMeter : IDisposable
{
    public const string MeterName = "MyVpn";

    /// <summary>Upper bounds (seconds) of the handshake duration histogram's buckets: 1 ms to 10 s.</summary>
    public static readonly IReadOnlyList<double> DurationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly KeyValuePair<string, object?> Ok = new("result", "ok");
    private static readonly KeyValuePair<string, object?> In = new("direction", "in");
    private static readonly KeyValuePair<string, object?> Out = new("direction", "out");

    private readonly MeterSources _sources;
    private readonly Histogram<double> _durations;

    public VpnMeter(MeterSources sources)
    {
        _sources = sources;
        Meter = new Meter(MeterName, typeof(VpnMeter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);
        Meter.CreateObservableGauge("myvpn_sessions", () => sources.Sessions(), "{session}", "Sessions up now");
        Meter.CreateObservableCounter("myvpn_handshakes_total", Handshakes, "{handshake}",
            "Handshakes by result: ok (a session got its keys, rekeys included), or the reason one failed or was refused");
        Meter.CreateObservableCounter("myvpn_rekeys_total", () => sources.Handshakes.Rekeys, "{handshake}",
            "Handshakes that renewed the keys of a session that was up");
        Meter.CreateObservableCounter("myvpn_packets_total", () => Traffic(bytes: false), "{packet}",
            "Inner packets through the tunnel: in, opened from peers' datagrams; out, sealed for peers (keepalives and rekey messages not counted)");
        Meter.CreateObservableCounter("myvpn_bytes_total", () => Traffic(bytes: true), "By",
            "Bytes of those inner packets, each way");
        Meter.CreateObservableCounter("myvpn_drops_total", Drops, "{packet}",
            "Packets and datagrams not delivered, by reason (docs/protocol.md, counted drops)");
        _durations = Meter.CreateHistogram("myvpn_handshake_duration_seconds", "s",
            "How long completed handshakes took: on the server from accepting the connection to the grant, on the client from connecting to the session being up",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        sources.Handshakes.Completed += RecordDuration;
    }

    public Meter Meter { get; }

    public static VpnMeter ForServer(VpnServer server) => new(new MeterSources(
        () => server.SessionCount,
        server.HandshakeCounts,
        () => ServerFailures(server),
        server.Drops,
        () => server.Traffic));

    public static VpnMeter ForClient(VpnClient client) => new(new MeterSources(
        () => client.IsConnected ? 1 : 0,
        client.HandshakeCounts,
        () => Enum.GetValues<HandshakeError>().Where(e => e != HandshakeError.None)
            .Select(e => new Measurement<long>(client.HandshakeCounts[e], Result(e.ToString()))),
        client.Drops,
        () => ClientTraffic(client)));

    private static TrafficTotals ClientTraffic(VpnClient client)
    {
        var status = client.Status;
        return new TrafficTotals(status.RxPackets, status.RxBytes, status.TxPackets, status.TxBytes);
    }

    /// <summary>The server's failed handshakes and its refused connections, each reason its own <c>result</c>.</summary>
    private static IEnumerable<Measurement<long>> ServerFailures(VpnServer server) =>
        Enum.GetValues<HandshakeError>().Where(e => e != HandshakeError.None)
            .Select(e => new Measurement<long>(server.HandshakeFailures[e], Result(e.ToString())))
            .Concat(Enum.GetValues<HandshakeRefusal>().Where(r => r != HandshakeRefusal.None)
                .Select(r => new Measurement<long>(server.HandshakeRefusals[r], Result(r.ToString()))));

    private static KeyValuePair<string, object?> Result(string result) => new("result", result);

    private IEnumerable<Measurement<long>> Handshakes() =>
        _sources.FailedHandshakes().Prepend(new Measurement<long>(_sources.Handshakes.Succeeded, Ok));

    private IEnumerable<Measurement<long>> Drops() =>
        Enum.GetValues<DropReason>().Select(r => new Measurement<long>(_sources.Drops[r], new KeyValuePair<string, object?>("reason", r.ToString())));

    private Measurement<long>[] Traffic(bool bytes)
    {
        var t = _sources.Traffic();
        return bytes
            ? [new(t.RxBytes, In), new(t.TxBytes, Out)]
            : [new(t.RxPackets, In), new(t.TxPackets, Out)];
    }

    private void RecordDuration(TimeSpan duration) => _durations.Record(duration.TotalSeconds);

    public void Dispose()
    {
        _sources.Handshakes.Completed -= RecordDuration;
        Meter.Dispose();
    }
}

using System.Diagnostics.Metrics;
using MyVpn.Tunnel;

namespace MyVpn.Metrics;

/// <summary>
/// What a <see cref="VpnMeter"/> observes, read from one engine: the number of sessions up, its
/// handshake counts and durations, its failed handshakes as (count, <c>result</c> tag) measurements,
/// its drops, and its traffic totals (inner packets and bytes: rx is in, tx is out).
/// </summary>
public sealed record MeterSources(
    Func<int> Sessions,
    HandshakeCounters Handshakes,
    Func<IEnumerable<Measurement<long>>> FailedHandshakes,
    DropCounters Drops,
    Func<TrafficTotals> Traffic);

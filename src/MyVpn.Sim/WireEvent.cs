using MyVpn.Net;

namespace MyVpn.Sim;

/// <summary>
/// One thing sent on the simulated wire and what the network decided for it. <see cref="Bytes"/>
/// is the full payload as sent (the checkers read it); <see cref="Outcome"/> is what the trace
/// prints: <c>deliver</c>, <c>dup</c>, <c>drop(loss)</c>, <c>drop(unreachable)</c>…
/// </summary>
internal sealed record WireEvent(
    long Time,
    WireKind Kind,
    string SourceHost,
    NetEndpoint Source,
    string TargetHost,
    NetEndpoint Target,
    byte[] Bytes,
    string Outcome,
    string Detail = "")
{
    public bool IsTunnelTraffic => Kind is WireKind.Udp or WireKind.Tcp;
}

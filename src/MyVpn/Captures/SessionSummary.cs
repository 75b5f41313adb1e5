using MyVpn.Net;

namespace MyVpn.Captures;

/// <summary>One data session found in a capture: its id, its server port, the client endpoints it was seen from, both directions' counts and any repeated IVs.</summary>
public sealed class SessionSummary(uint sessionId, IPv4Endpoint server)
{
    public uint SessionId { get; } = sessionId;
    public IPv4Endpoint Server { get; } = server;
    public List<IPv4Endpoint> ClientEndpoints { get; } = [];
    public DirectionCount ToServer { get; } = new();
    public DirectionCount ToClient { get; } = new();
    public int RepeatedIvs { get; set; }
}

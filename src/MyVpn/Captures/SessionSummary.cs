using MyVpn.Net;

namespace MyVpn.Captures;

/// <summary>One data session found in a capture: its id, its server port, the client endpoints it was seen from, both directions' counts and any repeated IVs.</summary>
public sealed class SessionSummary(uint sessionId, NetEndpoint server)
{
    public uint SessionId { get; } = sessionId;
    public NetEndpoint Server { get; } = server;
    public List<NetEndpoint> ClientEndpoints { get; } = [];
    public DirectionCount ToServer { get; } = new();
    public DirectionCount ToClient { get; } = new();
    public int RepeatedIvs { get; set; }
}

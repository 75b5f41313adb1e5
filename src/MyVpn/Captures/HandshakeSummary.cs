using MyVpn.Net;

namespace MyVpn.Captures;

/// <summary>One handshake connection found in a capture: its messages in the order they completed, and the parse error if one was malformed.</summary>
public sealed record HandshakeSummary(NetEndpoint Client, NetEndpoint Server, List<string> Messages, string? Error);

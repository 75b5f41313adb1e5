using MyVpn.Protocol;

namespace MyVpn.Captures;

/// <summary>Which ports in a capture belong to MyVpn: the handshake port and the session port range (the daemon's defaults).</summary>
public sealed record CaptureOptions(
    ushort HandshakePort = WireFormat.DefaultHandshakePort,
    ushort FirstSessionPort = WireFormat.DefaultFirstSessionPort,
    ushort LastSessionPort = WireFormat.DefaultLastSessionPort)
{
    public bool IsSessionPort(ushort port) => port >= FirstSessionPort && port <= LastSessionPort;
}

using Microsoft.Extensions.Logging;
using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Server;

/// <summary>
/// The server's log lines: one per session event, none per packet; warnings an attacker can cause
/// (failed and refused handshakes) at most one per reason per interval, with the count left out.
/// </summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information,
        Message = "handshake ok: client {Name} from {Remote} got {Address} on port {Port} (session {SessionId:x8})")]
    public static partial void HandshakeSucceeded(ILogger logger, string name, UdpEndpoint remote, IPv4Address address, ushort port, uint sessionId);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning,
        Message = "handshake failed from {Remote}: {Error} (client name: {Name}); {Suppressed} more with this error not logged in the {Interval} before")]
    public static partial void HandshakeFailed(ILogger logger, UdpEndpoint remote, HandshakeError error, string name, long suppressed, TimeSpan interval);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information,
        Message = "session expired: client {Name} at {Address} port {Port}, nothing heard for {Idle}")]
    public static partial void SessionExpired(ILogger logger, string name, IPv4Address address, ushort port, TimeSpan idle);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information,
        Message = "client {Name} roamed from {Old} to {New}")]
    public static partial void ClientRoamed(ILogger logger, string name, UdpEndpoint old, UdpEndpoint @new);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information,
        Message = "session replaced: client {Name} handshook again; old session on port {Port} closed")]
    public static partial void SessionReplaced(ILogger logger, string name, ushort port);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning,
        Message = "handshake refused from {Remote}: {Reason}; {Suppressed} more refused for this reason not logged in the {Interval} before")]
    public static partial void HandshakeRefused(ILogger logger, UdpEndpoint remote, string reason, long suppressed, TimeSpan interval);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning,
        Message = "UDP port {Port} could not be bound, taken out of the pool: {Reason}")]
    public static partial void PortRetired(ILogger logger, ushort port, string reason);
}

using Microsoft.Extensions.Logging;
using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Server;

/// <summary>
/// The server's log lines: one per session event, none per packet; warnings an attacker can cause
/// (failed and refused handshakes) at most one per reason per interval, with the count left out.
/// A client name comes from the network (the client picks it; with a shared key, any name), so each
/// is escaped (<see cref="LogText.Escape"/>) before it reaches a line.
/// </summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information,
        Message = "handshake ok: client {Name} from {Remote} got {Address} on port {Port} (session {SessionId:x8})")]
    private static partial void LogHandshakeSucceeded(ILogger logger, string name, NetEndpoint remote, IPv4Address address, ushort port, uint sessionId);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning,
        Message = "handshake failed from {Remote}: {Error} (client name: {Name}); {Suppressed} more with this error not logged in the {Interval} before")]
    private static partial void LogHandshakeFailed(ILogger logger, NetEndpoint remote, HandshakeError error, string name, long suppressed, TimeSpan interval);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information,
        Message = "session expired: client {Name} at {Address} port {Port}, nothing heard for {Idle}")]
    private static partial void LogSessionExpired(ILogger logger, string name, IPv4Address address, ushort port, TimeSpan idle);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information,
        Message = "client {Name} roamed from {Old} to {New}")]
    private static partial void LogClientRoamed(ILogger logger, string name, NetEndpoint old, NetEndpoint @new);

    [LoggerMessage(EventId = 104, Level = LogLevel.Debug,
        Message = "rekey: client {Name} from {Remote} handshook again, keeps {Address} on port {Port} (session {SessionId:x8} once confirmed)")]
    private static partial void LogRekeyed(ILogger logger, string name, NetEndpoint remote, IPv4Address address, ushort port, uint sessionId);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning,
        Message = "handshake refused from {Remote}: {Reason}; {Suppressed} more refused for this reason not logged in the {Interval} before")]
    public static partial void HandshakeRefused(ILogger logger, NetEndpoint remote, string reason, long suppressed, TimeSpan interval);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning,
        Message = "UDP port {Port} could not be bound, taken out of the pool: {Reason}")]
    public static partial void PortRetired(ILogger logger, ushort port, string reason);

    [LoggerMessage(EventId = 107, Level = LogLevel.Debug,
        Message = "asking client {Name} to rekey session {SessionId:x8}")]
    private static partial void LogRekeyRequested(ILogger logger, string name, uint sessionId);

    [LoggerMessage(EventId = 108, Level = LogLevel.Warning,
        Message = "session closed: client {Name} at {Address} port {Port} did not rekey; its keys are {Age} old")]
    private static partial void LogRekeyOverdue(ILogger logger, string name, IPv4Address address, ushort port, TimeSpan age);

    [LoggerMessage(EventId = 109, Level = LogLevel.Information,
        Message = "session ended by a reload: client {Name} at {Address} port {Port}: {Reason}")]
    private static partial void LogSessionEnded(ILogger logger, string name, IPv4Address address, ushort port, string reason);

    [LoggerMessage(EventId = 113, Level = LogLevel.Information, Message = "reloaded {Changes}")]
    public static partial void ClientsUpdated(ILogger logger, string changes);

    public static void SessionEnded(ILogger logger, string? name, IPv4Address address, ushort port, string reason)
    {
        if (logger.IsEnabled(LogLevel.Information))
            LogSessionEnded(logger, LogText.Escape(name), address, port, reason);
    }

    public static void HandshakeSucceeded(ILogger logger, string? name, NetEndpoint remote, IPv4Address address, ushort port, uint sessionId)
    {
        if (logger.IsEnabled(LogLevel.Information))
            LogHandshakeSucceeded(logger, LogText.Escape(name), remote, address, port, sessionId);
    }

    public static void HandshakeFailed(ILogger logger, NetEndpoint remote, HandshakeError error, string? name, long suppressed, TimeSpan interval)
    {
        if (logger.IsEnabled(LogLevel.Warning))
            LogHandshakeFailed(logger, remote, error, LogText.Escape(name), suppressed, interval);
    }

    public static void SessionExpired(ILogger logger, string? name, IPv4Address address, ushort port, TimeSpan idle)
    {
        if (logger.IsEnabled(LogLevel.Information))
            LogSessionExpired(logger, LogText.Escape(name), address, port, idle);
    }

    public static void ClientRoamed(ILogger logger, string? name, NetEndpoint old, NetEndpoint @new)
    {
        if (logger.IsEnabled(LogLevel.Information))
            LogClientRoamed(logger, LogText.Escape(name), old, @new);
    }

    public static void Rekeyed(ILogger logger, string? name, NetEndpoint remote, IPv4Address address, ushort port, uint sessionId)
    {
        if (logger.IsEnabled(LogLevel.Debug))
            LogRekeyed(logger, LogText.Escape(name), remote, address, port, sessionId);
    }

    public static void RekeyRequested(ILogger logger, string? name, uint sessionId)
    {
        if (logger.IsEnabled(LogLevel.Debug))
            LogRekeyRequested(logger, LogText.Escape(name), sessionId);
    }

    public static void RekeyOverdue(ILogger logger, string? name, IPv4Address address, ushort port, TimeSpan age)
    {
        if (logger.IsEnabled(LogLevel.Warning))
            LogRekeyOverdue(logger, LogText.Escape(name), address, port, age);
    }
}

using Microsoft.Extensions.Logging;
using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Client;

/// <summary>The client's log lines: one per session event, none per packet.</summary>
internal static partial class ClientLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information,
        Message = "connected to {Server}: address {Address}/{Prefix}, server {ServerAddress}, port {Port}, MTU {Mtu} (session {SessionId:x8})")]
    public static partial void Connected(ILogger logger, NetEndpoint server, IPv4Address address, int prefix, IPv4Address serverAddress, ushort port, int mtu, uint sessionId);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning,
        Message = "handshake with {Server} failed: {Error}; retrying in {Delay}")]
    public static partial void HandshakeFailed(ILogger logger, NetEndpoint server, HandshakeError error, TimeSpan delay);

    [LoggerMessage(EventId = 202, Level = LogLevel.Error,
        Message = "authentication failed: {Message}")]
    public static partial void AuthenticationFailed(ILogger logger, string message);

    [LoggerMessage(EventId = 203, Level = LogLevel.Warning,
        Message = "server {Server} silent for {Silence}: handshaking again")]
    public static partial void ServerSilent(ILogger logger, NetEndpoint server, TimeSpan silence);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning,
        Message = "handshake with {Server} refused: {Reason}; retrying in {Delay}")]
    public static partial void HandshakeRefused(ILogger logger, NetEndpoint server, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 207, Level = LogLevel.Debug,
        Message = "the server {Server} asked for a rekey of session {SessionId:x8}: handshaking while the session stays up")]
    public static partial void Rekeying(ILogger logger, NetEndpoint server, uint sessionId);

    [LoggerMessage(EventId = 208, Level = LogLevel.Warning,
        Message = "the server {Server} did not take the keys of session {SessionId:x8} within {Waited}: handshaking again")]
    public static partial void RekeyUnconfirmed(ILogger logger, NetEndpoint server, uint sessionId, TimeSpan waited);

    [LoggerMessage(EventId = 206, Level = LogLevel.Debug,
        Message = "rekeyed with {Server}: session {SessionId:x8}, same address and port")]
    public static partial void Rekeyed(ILogger logger, NetEndpoint server, uint sessionId);


    [LoggerMessage(EventId = 215, Level = LogLevel.Warning,
        Message = "cannot look up the server {Name}: {Error}; retrying in {Delay} ({Suppressed} more since the last such line)")]
    public static partial void LookupFailed(ILogger logger, string name, string error, TimeSpan delay, long suppressed);

    [LoggerMessage(EventId = 216, Level = LogLevel.Information,
        Message = "the server {Name} is at {Server} (of {Count} addresses)")]
    public static partial void ServerFound(ILogger logger, string name, NetEndpoint server, int count);
}

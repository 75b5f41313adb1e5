using Microsoft.Extensions.Logging;
using MyVpn.Net;

namespace MyVpn.Cli.Hosting;

/// <summary>The host's log lines: start, stop, and the client's tunnel changes. Per-session events come from the engines.</summary>
internal static partial class HostLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information,
        Message = "server up: {Tun} {Address}/{Prefix} mtu {Mtu}, handshakes on tcp {Listen}, session ports {Ports}, {Clients} named client(s), shared key {SharedKey}")]
    public static partial void ServerUp(ILogger logger, string tun, IPv4Address address, int prefix, int mtu,
        NetEndpoint listen, string ports, int clients, string sharedKey);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "masquerading {Subnet} out of {Interface} (nftables table ip {Table})")]
    public static partial void Masquerading(ILogger logger, IPv4Subnet subnet, string @interface, string table);

    [LoggerMessage(EventId = 108, Level = LogLevel.Information,
        Message = "reach policy (nftables table ip {Table}): the host's own addresses and the built-in ranges blocked, {Block} block range(s), {Allow} allow range(s), clients reach each other: {ClientToClient}")]
    public static partial void Policy(ILogger logger, string table, int block, int allow, string clientToClient);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "stopping: removing the tun device, routes and nftables table this run added")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "I/O threads: {Layout}")]
    public static partial void IoThreads(ILogger logger, string layout);

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "client started: {Name} on {Tun}, server {Server}")]
    public static partial void ClientStarted(ILogger logger, string name, string tun, NetEndpoint server);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information,
        Message = "tunnel up: {Tun} {Address}/{Prefix} mtu {Mtu}, server {ServerAddress} on udp port {Port}")]
    public static partial void TunnelUp(ILogger logger, string tun, IPv4Address address, int prefix, int mtu,
        IPv4Address serverAddress, ushort port);

    [LoggerMessage(EventId = 114, Level = LogLevel.Warning,
        Message = "SIGHUP: the client does not reload its configuration; restart it to apply a change (the session stays up)")]
    public static partial void ClientReloadUnsupported(ILogger logger);

    [LoggerMessage(EventId = 112, Level = LogLevel.Information, Message = "all traffic now goes through {Tun}, IPv4 and {IPv6}; the client's own packets carry fwmark {Mark} and take the main table")]
    public static partial void FullTunnel(ILogger logger, string tun, string ipv6, uint mark);

    [LoggerMessage(EventId = 160, Level = LogLevel.Information, Message = "pushed routes through {Tun}: {Routes} ({Added} added, {Removed} removed)")]
    public static partial void PushedRoutes(ILogger logger, string tun, string routes, int added, int removed);

    [LoggerMessage(EventId = 161, Level = LogLevel.Information, Message = "ignoring the routes the server pushes ({Routes}): accept_routes = false")]
    public static partial void PushedRoutesRefused(ILogger logger, string routes);

    [LoggerMessage(EventId = 162, Level = LogLevel.Information, Message = "pushed DNS: servers [{Servers}], search [{Search}], through {Method}")]
    public static partial void PushedDns(ILogger logger, string servers, string search, string method);

    [LoggerMessage(EventId = 163, Level = LogLevel.Information, Message = "ignoring the DNS the server pushes (servers [{Servers}], search [{Search}]): accept_dns = false")]
    public static partial void PushedDnsRefused(ILogger logger, string servers, string search);

    [LoggerMessage(EventId = 164, Level = LogLevel.Information, Message = "the server no longer pushes DNS: {Method} restored")]
    public static partial void PushedDnsReverted(ILogger logger, string method);

    [LoggerMessage(EventId = 165, Level = LogLevel.Warning, Message = "could not apply what the server pushes: {Reason}")]
    public static partial void PushedFailed(ILogger logger, string reason);
}

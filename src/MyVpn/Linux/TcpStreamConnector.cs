using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using MyVpn.Io;
using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>Opens handshake connections to the server (client side); a connect that fails or takes longer than the timeout reports OnClosed.</summary>
internal sealed class TcpStreamConnector(TimeSpan connectTimeout, TimeProvider time) : IStreamConnector
{
    /// <summary>The firewall mark of every connection it opens (<see cref="SocketMark"/>); 0: unmarked.</summary>
    public uint FirewallMark { get; init; }

    /// <summary>Where a connection ended by a socket error (refused, reset, unreachable, timed out) says why; null: nowhere.</summary>
    public ILogger? Logger { get; init; }

    public IStreamConnection Connect(NetEndpoint server, IStreamHandler handler)
    {
        var socket = InetSocket.For(server, SocketType.Stream, ProtocolType.Tcp);
        socket.NoDelay = true;
        SocketMark.Apply(socket, FirewallMark);
        var connection = new TcpStreamConnection(socket, server) { Logger = Logger };
        // On another thread: the engine calls Connect under its lock and must get the
        // connection back before any of its events arrive.
        _ = Task.Run(() => connection.RunConnectingAsync(handler, connectTimeout, time));
        return connection;
    }
}

using MyVpn.Net;

namespace MyVpn.Io;

/// <summary>
/// A reliable byte stream for the handshake (TCP in the daemon). Bytes arrive through the
/// <see cref="IStreamHandler"/> the connection was made with; framing is the protocol's job.
/// </summary>
public interface IStreamConnection
{
    IPv4Endpoint RemoteEndpoint { get; }

    /// <summary>Queues bytes for sending; never blocks. Ignored once the connection is closed.</summary>
    void Send(ReadOnlySpan<byte> data);

    /// <summary>Closes the connection after the queued bytes are sent. Idempotent.</summary>
    void Close();
}

/// <summary>What happens on a stream, as the host reports it. Calls never overlap for one connection.</summary>
public interface IStreamHandler
{
    /// <summary>The connection is open (client side: connected; server side: accepted).</summary>
    void OnConnected();

    /// <summary>Bytes arrived, in order. The span is only valid during the call.</summary>
    void OnData(ReadOnlySpan<byte> data);

    /// <summary>The peer closed, the connection broke or it never connected. Called once, last.</summary>
    void OnClosed();
}

/// <summary>Opens handshake connections (client side).</summary>
public interface IStreamConnector
{
    /// <summary>
    /// Starts connecting to <paramref name="server"/>; the result is reported to
    /// <paramref name="handler"/> (<see cref="IStreamHandler.OnConnected"/> or, on failure,
    /// <see cref="IStreamHandler.OnClosed"/>). Never blocks.
    /// </summary>
    IStreamConnection Connect(IPv4Endpoint server, IStreamHandler handler);
}

/// <summary>Where the host hands accepted handshake connections (server side).</summary>
public interface IStreamAcceptor
{
    /// <summary>A new connection was accepted; returns the handler for its events.</summary>
    IStreamHandler Accept(IStreamConnection connection);
}

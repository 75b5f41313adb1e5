using MyVpn.Net;

namespace MyVpn.Io;

/// <summary>Opens handshake connections (client side).</summary>
public interface IStreamConnector
{
    /// <summary>
    /// Starts connecting to <paramref name="server"/>; the result is reported to
    /// <paramref name="handler"/> (<see cref="IStreamHandler.OnConnected"/> or, on failure,
    /// <see cref="IStreamHandler.OnClosed"/>). Never blocks.
    /// </summary>
    IStreamConnection Connect(NetEndpoint server, IStreamHandler handler);
}

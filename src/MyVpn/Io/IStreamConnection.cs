using MyVpn.Net;

namespace MyVpn.Io;

/// <summary>
/// A reliable byte stream for the handshake (TCP in the daemon). Bytes arrive through the
/// <see cref="IStreamHandler"/> the connection was made with; framing is the protocol's job.
/// </summary>
public interface IStreamConnection
{
    NetEndpoint RemoteEndpoint { get; }

    /// <summary>Queues bytes for sending; never blocks. Ignored once the connection is closed.</summary>
    void Send(ReadOnlySpan<byte> data);

    /// <summary>Closes the connection after the queued bytes are sent. Idempotent.</summary>
    void Close();
}

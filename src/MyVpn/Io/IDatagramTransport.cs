using MyVpn.Net;

namespace MyVpn.Io;

/// <summary>
/// A bound UDP socket, batch-shaped (a fast implementation uses recvmmsg/sendmmsg).
/// Created by <see cref="IDatagramBinder.Bind"/>; disposing it closes the port.
/// Threads: <see cref="Receive"/> runs on the socket's one reader thread; <see cref="Send"/> may
/// run at the same time and from several threads at once (the tun thread, other sessions' socket
/// threads, timers), and after <see cref="IDisposable.Dispose"/> it quietly sends nothing.
/// </summary>
public interface IDatagramTransport : IDisposable
{
    /// <summary>The address and port this socket is bound to.</summary>
    IPv4Endpoint LocalEndpoint { get; }

    /// <summary>The most datagrams one <see cref="Receive"/> fills.</summary>
    int BatchSize { get; }

    /// <summary>
    /// Fills up to <c>datagrams.Length</c> buffers with datagrams that have arrived (bytes at
    /// <see cref="PacketBuffer.Offset"/>, <see cref="PacketBuffer.Length"/> and the sender in
    /// <see cref="PacketBuffer.Endpoint"/>). Never blocks: returns 0 when nothing is ready.
    /// </summary>
    int Receive(Span<PacketBuffer> datagrams);

    /// <summary>
    /// Sends each datagram (<see cref="PacketBuffer.Span"/>) to its <see cref="PacketBuffer.Endpoint"/>.
    /// The bytes are consumed before returning. A datagram the network refuses is dropped, never thrown.
    /// </summary>
    void Send(ReadOnlySpan<PacketBuffer> datagrams);
}

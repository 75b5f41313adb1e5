using MyVpn.Net;

namespace MyVpn.Io;

/// <summary>
/// A bound UDP socket, batch-shaped (a fast implementation uses recvmmsg/sendmmsg).
/// Created by <see cref="IDatagramBinder.Bind"/>; disposing it closes the port.
/// Threads: <see cref="Receive"/> runs on the socket's one reader thread; <see cref="Send"/> may
/// run at the same time and from several threads at once (the tun thread, other sessions' socket
/// threads, timers), and after <see cref="IDisposable.Dispose"/> it quietly sends nothing.
/// </summary>
/// <remarks>
/// Readiness is level-triggered, as for <see cref="ITunDevice"/>: when the binder's host calls the owner's
/// <c>onReadable</c> (<see cref="IDatagramBinder.Bind"/>), the owner calls <see cref="Receive"/> until it
/// returns 0 and returns. A 0 ends that drain, not the socket's traffic: the host calls <c>onReadable</c>
/// again whenever datagrams are waiting once the previous call has returned, so the owner never spins on
/// 0 or sleeps and retries. An implementation may therefore answer 0 while datagrams are waiting when that
/// saves a system call or gives up on an error: the Linux socket answers 0 without a recvmmsg after one that
/// returned fewer than asked, and after a run of errors (see <c>LinuxUdpTransport.Receive</c>). Such a
/// transport relies on its host being level-triggered; one whose host reports only arrivals must return 0
/// only when nothing is waiting, as the simulator's and the tests' do. What the transport itself holds,
/// which no poll can see (datagrams split from a GRO message that did not fit in the batch), it hands out
/// before it answers 0.
/// </remarks>
public interface IDatagramTransport : IDisposable
{
    /// <summary>The address and port this socket is bound to.</summary>
    NetEndpoint LocalEndpoint { get; }

    /// <summary>The most datagrams one <see cref="Receive"/> fills.</summary>
    int BatchSize { get; }

    /// <summary>
    /// Fills up to <c>datagrams.Length</c> buffers with datagrams that have arrived (bytes at
    /// <see cref="PacketBuffer.Offset"/>, <see cref="PacketBuffer.Length"/> and the sender in
    /// <see cref="PacketBuffer.Endpoint"/>). Never blocks: returns 0 when nothing is ready, or (level-triggered
    /// host, see the remarks) when this call need not look; may fill fewer than asked although more are waiting.
    /// </summary>
    int Receive(Span<PacketBuffer> datagrams);

    /// <summary>
    /// Sends each datagram (<see cref="PacketBuffer.Span"/>) to its <see cref="PacketBuffer.Endpoint"/>.
    /// The bytes are consumed before returning. A datagram the network refuses is dropped, never thrown: the
    /// result says how many went and why the others did not (the caller counts them as drops). A closed
    /// socket sends nothing and reports nothing.
    /// </summary>
    SendResult Send(ReadOnlySpan<PacketBuffer> datagrams);
}

namespace MyVpn.Io;

/// <summary>
/// A TUN device: whole IPv4/IPv6 packets in and out, several per call (batch-shaped, like
/// wireguard-go's <c>tun.Device</c>). A simple implementation moves one packet per call.
/// </summary>
/// <remarks>
/// <para>
/// Readiness is level-triggered. The engine does not wait on the device: its host tells it when the
/// device is readable (<c>OnTunReadable</c>), and the engine then calls <see cref="Read"/> until it
/// returns 0 and returns. A 0 ends that drain; it does not promise that the device is empty, nor that it
/// stays empty. The host, in turn, calls <c>OnTunReadable</c> again whenever packets are waiting once the
/// previous call has returned (as a level-triggered epoll does: the Linux host's <c>Poller</c>), so a
/// packet that was waiting at a 0, or arrived during the drain, is read on the next call. A caller never
/// spins on 0 or sleeps and retries: it returns and waits for the next call.
/// </para>
/// <para>
/// So an implementation may return 0 while packets are waiting when that saves a system call: the Linux
/// device answers 0 without a read(2) after a read that found the queue empty (see <c>LinuxTunDevice.Read</c>).
/// Such a device relies on its host being level-triggered; a device whose host reports only arrivals
/// (edge-triggered) must return 0 only when nothing is waiting, as the simulator's and the tests' do.
/// What the device itself holds, which no poll can see (the segments of a split super-segment that did
/// not fit in the batch), it hands out before it answers 0.
/// </para>
/// <para>
/// A device that fails (gone, down, its queue full) never makes the engine spin: <see cref="Read"/> answers 0
/// and its host stops reporting it readable; <see cref="Write"/> reports the packets it lost. What the host
/// does about a device that vanished is its own decision (the Linux daemon exits: docs/operations.md).
/// </para>
/// Threads: <see cref="Read"/> is called from one thread at a time; <see cref="Write"/> may be
/// called at the same time as <see cref="Read"/> and from several threads at once (the server's
/// socket threads), so an implementation must make it safe (see <c>docs/threading.md</c>).
/// </remarks>
public interface ITunDevice
{
    /// <summary>The most packets one <see cref="Read"/> fills.</summary>
    int BatchSize { get; }

    /// <summary>
    /// Fills up to <c>packets.Length</c> buffers with packets that are ready, each written at the
    /// buffer's <see cref="PacketBuffer.Offset"/> with its <see cref="PacketBuffer.Length"/> set.
    /// Never blocks: returns 0 when nothing is ready, or (level-triggered host, see the remarks) when this
    /// call need not look; may fill fewer than asked although more are waiting. The caller owns the buffers.
    /// </summary>
    int Read(Span<PacketBuffer> packets);

    /// <summary>
    /// Writes each packet (<see cref="PacketBuffer.Span"/>) to the device. The device copies or
    /// consumes the bytes before returning, so the caller may reuse the buffers at once.
    /// A packet the device cannot take (queue full, device down or gone, refused) is dropped, never thrown:
    /// the result says how many and why, and the caller counts them (<see cref="TunWriteResult"/>).
    /// </summary>
    TunWriteResult Write(ReadOnlySpan<PacketBuffer> packets);
}

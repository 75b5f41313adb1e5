namespace MyVpn.Io;

/// <summary>
/// A TUN device: whole IPv4/IPv6 packets in and out, several per call (batch-shaped, like
/// wireguard-go's <c>tun.Device</c>). A simple implementation moves one packet per call.
/// </summary>
/// <remarks>
/// The engine does not wait on the device: its host tells it when the device is readable
/// (<c>OnTunReadable</c>) and the engine then calls <see cref="Read"/> until it returns 0.
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
    /// Never blocks: returns 0 when nothing is ready. The caller owns the buffers.
    /// </summary>
    int Read(Span<PacketBuffer> packets);

    /// <summary>
    /// Writes each packet (<see cref="PacketBuffer.Span"/>) to the device. The device copies or
    /// consumes the bytes before returning, so the caller may reuse the buffers at once.
    /// A packet the device cannot take is dropped (and counted by the device), never thrown.
    /// </summary>
    void Write(ReadOnlySpan<PacketBuffer> packets);
}

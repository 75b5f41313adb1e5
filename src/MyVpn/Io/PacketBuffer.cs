using MyVpn.Net;

namespace MyVpn.Io;

/// <summary>
/// One packet or datagram in a reusable buffer. The bytes live at
/// <c>Data[Offset .. Offset + Length)</c>; the space before <see cref="Offset"/> is headroom
/// (so a header can be written in front without a copy) and the space after is tailroom
/// (for an authentication tag). Each engine allocates its buffers once, when it sizes its batches
/// (a data-path thread's scratch set), and reuses them for every batch: nothing is allocated per packet.
/// <see cref="Data"/> is allocated pinned (it never moves), so a host may hand its address to the
/// kernel for a whole batch (recvmmsg/sendmmsg) without pinning each buffer on every call.
/// </summary>
public sealed class PacketBuffer
{
    /// <summary>Headroom every buffer reserves: the data packet's IV.</summary>
    public const int DefaultHeadroom = 16;

    /// <summary>
    /// The smallest capacity an engine gives its buffers: large enough for a 1500-byte datagram plus
    /// headroom, or a full tun packet plus tag (an engine sizes up for a larger MTU).
    /// </summary>
    public const int DefaultCapacity = 2048;

    public PacketBuffer(int capacity)
    {
        Data = GC.AllocateArray<byte>(capacity, pinned: true);
        Offset = DefaultHeadroom;
    }

    public byte[] Data { get; }
    public int Offset { get; set; }
    public int Length { get; set; }

    /// <summary>For datagrams: where it came from (receive) or where it goes (send).</summary>
    public NetEndpoint Endpoint { get; set; }

    public Span<byte> Span => Data.AsSpan(Offset, Length);

    /// <summary>Everything from <see cref="Offset"/> to the end of the buffer: where a read may write.</summary>
    public Span<byte> Writable => Data.AsSpan(Offset);

    /// <summary>Forgets the contents and restores the default headroom.</summary>
    public void Reset()
    {
        Offset = DefaultHeadroom;
        Length = 0;
        Endpoint = default;
    }

    /// <summary>Copies <paramref name="bytes"/> in at the default headroom.</summary>
    public void Set(ReadOnlySpan<byte> bytes)
    {
        Offset = DefaultHeadroom;
        bytes.CopyTo(Data.AsSpan(Offset));
        Length = bytes.Length;
    }
}

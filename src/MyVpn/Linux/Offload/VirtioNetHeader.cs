using System.Runtime.InteropServices;

namespace MyVpn.Linux.Offload;

/// <summary>
/// <c>struct virtio_net_hdr</c> (linux/virtio_net.h, 10 bytes), in front of every packet a tun device
/// opened with IFF_VNET_HDR reads or writes. Its fields are in the host's byte order (a legacy header
/// on a little-endian host; the tun device's TUNSETVNETLE/BE are not used).
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
internal struct VirtioNetHeader
{
    public const int Size = 10;

    /// <summary><c>VIRTIO_NET_HDR_F_NEEDS_CSUM</c>: the checksum at CsumStart + CsumOffset is partial.</summary>
    public const byte FlagNeedsChecksum = 1;

    public const byte GsoNone = 0;
    public const byte GsoTcpV4 = 1;
    public const byte GsoUdp = 3;
    public const byte GsoTcpV6 = 4;
    public const byte GsoUdpL4 = 5;

    /// <summary>Or-ed into <see cref="GsoType"/> when the segments carry ECN (CWR on the first).</summary>
    public const byte GsoEcn = 0x80;

    public byte Flags;
    public byte GsoType;

    /// <summary>Length of the headers (IP + TCP) repeated in front of every segment.</summary>
    public ushort HeaderLength;

    /// <summary>Payload bytes per segment (the MSS).</summary>
    public ushort GsoSize;

    public ushort CsumStart;
    public ushort CsumOffset;

    public static VirtioNetHeader Read(ReadOnlySpan<byte> bytes) => MemoryMarshal.Read<VirtioNetHeader>(bytes);

    public readonly void Write(Span<byte> bytes) => MemoryMarshal.Write(bytes, in this);
}

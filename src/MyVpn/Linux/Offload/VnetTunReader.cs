using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MyVpn.Io;
using MyVpn.Linux.Interop;
using MyVpn.Linux.Offload;

namespace MyVpn.Linux.Offload;

/// <summary>
/// Reads a tun device opened with IFF_VNET_HDR (and TSO): each read(2) gives a virtio header and a
/// packet that may be a TCP/IPv4 super-segment of up to 64 KB. A plain packet lands in the batch
/// buffer in place (its header in the headroom); a super-segment spills into a pinned 64 KB scratch
/// buffer and is split into MSS-sized packets, one per batch buffer (<see cref="TcpSegmenter"/>).
/// Segments that do not fit in the batch wait for the next call, and the device hands them out before it
/// answers 0 (no poll can see them; see <see cref="Io.ITunDevice"/>'s contract). Not thread-safe: the
/// device serialises reads.
/// </summary>
internal sealed unsafe class VnetTunReader
{
    /// <summary>At most this much of a read goes straight into the batch buffer; the rest spills.</summary>
    private const int InPlaceLimit = 4096;

    /// <summary>A virtio header and the largest IPv4 packet, after up to <see cref="InPlaceLimit"/> bytes.</summary>
    private const int ScratchSize = InPlaceLimit + VirtioNetHeader.Size + ushort.MaxValue;

    private readonly byte[] _scratch = GC.AllocateArray<byte>(ScratchSize, pinned: true);
    private readonly IoVec[] _iov = GC.AllocateArray<IoVec>(2, pinned: true);
    private readonly TcpSegmenter _segmenter = new();

    /// <summary>Super-segments split so far.</summary>
    public long SuperSegments { get; private set; }

    /// <summary>Packets dropped: malformed, of a GSO type not asked for, or too large for the buffers.</summary>
    public long Dropped { get; private set; }

    /// <summary>Whether segments of a super-segment are waiting for the next call.</summary>
    public bool HasPending => _segmenter.HasMore;

    /// <summary>Writes waiting segments into <c>packets[from..]</c>; returns how many.</summary>
    public int EmitPending(Span<PacketBuffer> packets, int from)
    {
        var count = 0;
        while (from + count < packets.Length && _segmenter.HasMore)
        {
            var packet = packets[from + count];
            if (!_segmenter.TryWriteNext(packet.Writable, out var length))
            {
                _segmenter.Clear(); // the buffers are too small for this MSS: drop the rest
                Dropped++;
                break;
            }
            packet.Length = length;
            count++;
        }
        return count;
    }

    /// <summary>
    /// One readv into <paramref name="packet"/> (and the scratch buffer). Returns the packets produced
    /// into <c>packets[index..]</c> (0 for a dropped packet), or -1 with <paramref name="errno"/> set.
    /// </summary>
    public int ReadOne(TunHandle handle, Span<PacketBuffer> packets, int index, out int errno)
    {
        errno = 0;
        var packet = packets[index];
        var start = packet.Offset - VirtioNetHeader.Size;
        var inPlace = start < 0 ? 0 : Math.Min(packet.Data.Length - start, InPlaceLimit);
        if (inPlace < VirtioNetHeader.Size)
            inPlace = 0;
        var data = inPlace > 0 ? (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(packet.Data)) + start : null;
        var scratch = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_scratch));
        _iov[0] = new IoVec { Base = data, Length = (nuint)inPlace };
        _iov[1] = new IoVec { Base = scratch + inPlace, Length = (nuint)(ScratchSize - inPlace) };
        nint n;
        fixed (IoVec* iov = _iov)
            n = LibC.ReadV(handle, iov, 2);
        if (n < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return -1;
        }
        var total = (int)n;
        if (total < VirtioNetHeader.Size)
        {
            Dropped++;
            return 0;
        }
        var header = VirtioNetHeader.Read(inPlace > 0 ? packet.Data.AsSpan(start) : _scratch);
        var length = total - VirtioNetHeader.Size;
        if (header.GsoType == VirtioNetHeader.GsoNone)
        {
            if (total > inPlace && !MoveSpilled(packet, start, inPlace, total))
            {
                Dropped++;
                return 0;
            }
            packet.Length = length;
            if ((header.Flags & VirtioNetHeader.FlagNeedsChecksum) != 0
                && !InternetChecksum.CompletePartial(packet.Span, header.CsumStart, header.CsumOffset))
            {
                Dropped++;
                return 0;
            }
            return 1;
        }
        if ((header.GsoType & ~VirtioNetHeader.GsoEcn) != VirtioNetHeader.GsoTcpV4)
        {
            Dropped++; // TCPV6/UDP: not asked for with TUNSETOFFLOAD
            return 0;
        }
        if (inPlace > 0) // make the read contiguous in the scratch buffer (what spilled is already there)
            packet.Data.AsSpan(start, Math.Min(total, inPlace)).CopyTo(_scratch);
        if (!_segmenter.Start(_scratch, VirtioNetHeader.Size, length, header.GsoSize))
        {
            Dropped++;
            return 0;
        }
        SuperSegments++;
        return EmitPending(packets, index);
    }

    /// <summary>Moves the part of a plain packet that spilled into the scratch buffer behind the part read in place.</summary>
    private bool MoveSpilled(PacketBuffer packet, int start, int inPlace, int total)
    {
        if (inPlace == 0)
        {
            var length = total - VirtioNetHeader.Size;
            if (length > packet.Data.Length - packet.Offset)
                return false;
            _scratch.AsSpan(VirtioNetHeader.Size, length).CopyTo(packet.Data.AsSpan(packet.Offset));
            return true;
        }
        if (total > packet.Data.Length - start)
            return false;
        _scratch.AsSpan(inPlace, total - inPlace).CopyTo(packet.Data.AsSpan(start + inPlace));
        return true;
    }
}

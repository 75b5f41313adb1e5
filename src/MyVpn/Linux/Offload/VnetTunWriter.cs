using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MyVpn.Io;
using MyVpn.Linux.Interop;
using MyVpn.Linux.Offload;

namespace MyVpn.Linux.Offload;

/// <summary>
/// Writes to a tun device opened with IFF_VNET_HDR. Runs of TCP/IPv4 segments of one flow
/// (<see cref="TcpCoalescer"/>) go as one GSO packet: one writev of a merged header (virtio header, IP
/// and TCP headers, written into a pinned scratch area) and every segment's payload straight from its
/// buffer, so nothing is copied and the caller's buffers are not modified. Everything else goes
/// alone behind a zeroed virtio header. Not thread-safe: the device serialises writes.
/// </summary>
internal sealed unsafe class VnetTunWriter(bool coalesce)
{
    private readonly byte[] _header = GC.AllocateArray<byte>(TcpCoalescer.MaxHeaderBytes, pinned: true);
    private readonly byte[] _zeroHeader = GC.AllocateArray<byte>(VirtioNetHeader.Size, pinned: true);
    private readonly IoVec[] _iov = GC.AllocateArray<IoVec>(TcpCoalescer.MaxSegments + 1, pinned: true);
    private int _errno;

    /// <summary>GSO packets written (each carries two or more segments).</summary>
    public long CoalescedWrites { get; private set; }

    /// <summary>Segments that went inside those.</summary>
    public long CoalescedSegments { get; private set; }

    /// <summary>
    /// Writes every packet; returns how many the kernel refused, with the last refusal's errno in
    /// <paramref name="errno"/> (0 for a short write; untouched when none was refused).
    /// </summary>
    public int Write(TunHandle handle, ReadOnlySpan<PacketBuffer> packets, out int errno)
    {
        _errno = 0;
        var refused = 0;
        var i = 0;
        while (i < packets.Length)
        {
            var run = coalesce ? TcpCoalescer.RunLength(packets, i) : 1;
            if (run > 1 && WriteCoalesced(handle, packets.Slice(i, run)))
            {
                CoalescedWrites++;
                CoalescedSegments += run;
                i += run;
                continue;
            }
            // a lone packet, or a run the kernel refused as one: each on its own
            for (var k = 0; k < run; k++)
                if (!WriteAlone(handle, packets[i + k]))
                    refused++;
            i += run;
        }
        errno = _errno;
        return refused;
    }

    private bool WriteAlone(TunHandle handle, PacketBuffer packet)
    {
        _iov[0] = new IoVec { Base = AddressOf(_zeroHeader, 0), Length = VirtioNetHeader.Size };
        _iov[1] = new IoVec { Base = AddressOf(packet.Data, packet.Offset), Length = (nuint)packet.Length };
        return WriteV(handle, 2) == VirtioNetHeader.Size + packet.Length;
    }

    private bool WriteCoalesced(TunHandle handle, ReadOnlySpan<PacketBuffer> run)
    {
        var headerBytes = TcpCoalescer.WriteHeader(run, _header);
        var headerLength = headerBytes - VirtioNetHeader.Size;
        _iov[0] = new IoVec { Base = AddressOf(_header, 0), Length = (nuint)headerBytes };
        var total = headerBytes;
        for (var k = 0; k < run.Length; k++)
        {
            var packet = run[k];
            var payload = packet.Length - headerLength;
            _iov[k + 1] = new IoVec { Base = AddressOf(packet.Data, packet.Offset + headerLength), Length = (nuint)payload };
            total += payload;
        }
        return WriteV(handle, run.Length + 1) == total;
    }

    private nint WriteV(TunHandle handle, int count)
    {
        while (true)
        {
            nint n;
            fixed (IoVec* iov = _iov)
                n = LibC.WriteV(handle, iov, count);
            if (n >= 0)
                return n;
            _errno = Marshal.GetLastPInvokeError();
            if (_errno != Errno.EINTR)
                return n;
        }
    }

    private static byte* AddressOf(byte[] pinned, int offset) =>
        (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned)) + offset;
}

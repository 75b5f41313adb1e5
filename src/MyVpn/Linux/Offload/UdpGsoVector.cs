using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MyVpn.Io;
using MyVpn.Linux.Interop;
using MyVpn.Linux.Offload;

namespace MyVpn.Linux.Offload;

/// <summary>
/// The arguments of one <c>sendmmsg</c> with UDP GSO: up to <see cref="Capacity"/> datagrams grouped into
/// messages (<see cref="UdpGsoRuns"/>), each message one iovec per datagram (pointing at its pinned
/// buffer: nothing is copied) and, when it carries more than one, a <c>UDP_SEGMENT</c> control message
/// with the segment size. Headers, iovecs, addresses and control buffers are allocated once and pinned.
/// Not thread-safe: one per sending thread (<see cref="LinuxUdpTransport"/>), used by one call at a time.
/// </summary>
internal sealed unsafe class UdpGsoVector
{
    private static readonly int ControlSpace = CMsgHdr.SpaceFor(sizeof(ushort));

    private readonly MMsgHdr[] _messages;
    private readonly IoVec[] _iovecs;
    private readonly SockAddrIn[] _addresses;
    private readonly byte[] _control;
    private readonly int[] _runStart;
    private readonly int[] _runLength;

    public UdpGsoVector(int capacity)
    {
        _messages = GC.AllocateArray<MMsgHdr>(capacity, pinned: true);
        _iovecs = GC.AllocateArray<IoVec>(capacity, pinned: true);
        _addresses = GC.AllocateArray<SockAddrIn>(capacity, pinned: true);
        _control = GC.AllocateArray<byte>(capacity * ControlSpace, pinned: true);
        _runStart = new int[capacity];
        _runLength = new int[capacity];
    }

    public int Capacity => _messages.Length;

    public MMsgHdr* Messages => AddressOf(_messages, 0);

    /// <summary>Messages prepared by the last <see cref="Prepare"/>.</summary>
    public int MessageCount { get; private set; }

    /// <summary>Which datagrams (of the span given to <see cref="Prepare"/>) message <paramref name="m"/> carries.</summary>
    public (int Start, int Length) Run(int m) => (_runStart[m], _runLength[m]);

    /// <summary>Groups up to <see cref="Capacity"/> datagrams into messages; returns how many datagrams it took.</summary>
    public int Prepare(ReadOnlySpan<PacketBuffer> datagrams)
    {
        var count = Math.Min(datagrams.Length, Capacity);
        var batch = datagrams[..count];
        var m = 0;
        var i = 0;
        while (i < count)
        {
            var run = UdpGsoRuns.RunLength(batch, i);
            ref var message = ref _messages[m];
            for (var k = 0; k < run; k++)
            {
                var datagram = batch[i + k];
                _iovecs[i + k] = new IoVec { Base = AddressOf(datagram.Data, datagram.Offset), Length = (nuint)datagram.Length };
            }
            _addresses[m] = SockAddrIn.From(batch[i].Endpoint);
            message.Header.Name = AddressOf(_addresses, m);
            message.Header.NameLength = SockAddrIn.Size;
            message.Header.Iov = AddressOf(_iovecs, i);
            message.Header.IovLength = (nuint)run;
            message.Header.Flags = 0;
            if (run > 1)
            {
                var control = AddressOf(_control, m * ControlSpace);
                var header = (CMsgHdr*)control;
                header->Length = (nuint)CMsgHdr.LengthFor(sizeof(ushort));
                header->Level = UdpOptions.SOL_UDP;
                header->Type = UdpOptions.UDP_SEGMENT;
                *(ushort*)(control + CMsgHdr.Size) = (ushort)batch[i].Length;
                message.Header.Control = control;
                message.Header.ControlLength = (nuint)ControlSpace;
            }
            else
            {
                message.Header.Control = null;
                message.Header.ControlLength = 0;
            }
            _runStart[m] = i;
            _runLength[m] = run;
            m++;
            i += run;
        }
        MessageCount = m;
        return count;
    }

    private static T* AddressOf<T>(T[] pinned, int i) where T : unmanaged =>
        (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned)) + i;

    private static byte* AddressOf(byte[] pinned, int offset) =>
        (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned)) + offset;
}

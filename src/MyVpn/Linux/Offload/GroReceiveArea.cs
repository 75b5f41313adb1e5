using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MyVpn.Io;
using MyVpn.Linux.Interop;
using MyVpn.Linux.Offload;

namespace MyVpn.Linux.Offload;

/// <summary>
/// Where a socket with UDP_GRO receives: <see cref="Messages"/> messages of up to 64 KB each (a GRO
/// message is up to 64 datagrams of one sender coalesced, with their size in a <c>UDP_GRO</c> control
/// message), all pinned, and the position of the datagrams not handed out yet. 1 MB each, so sockets
/// do not own one: they rent one from a small shared pool for a receive and give it back once every
/// datagram in it has been handed out. Each receiving thread keeps the last area it gave back as its
/// own spare, so a wake-up that moves one datagram takes no lock (a handful of poller threads: a
/// handful of spares).
/// </summary>
internal sealed unsafe class GroReceiveArea
{
    public const int Messages = 16;
    private const int MessageBytes = 1 << 16;
    private const int ControlSpace = 64;
    private const int PoolSize = 4;

    private static readonly Stack<GroReceiveArea> Pool = new();

    [ThreadStatic]
    private static GroReceiveArea? t_spare;

    private readonly byte[] _data = GC.AllocateArray<byte>(Messages * MessageBytes, pinned: true);
    private readonly MMsgHdr[] _messages = GC.AllocateArray<MMsgHdr>(Messages, pinned: true);
    private readonly IoVec[] _iovecs = GC.AllocateArray<IoVec>(Messages, pinned: true);
    private readonly SockAddrInet[] _addresses = GC.AllocateArray<SockAddrInet>(Messages, pinned: true);
    private readonly byte[] _control = GC.AllocateArray<byte>(Messages * ControlSpace, pinned: true);
    private readonly int[] _segmentSize = new int[Messages];
    private int _received;
    private int _message;
    private int _offset;

    private GroReceiveArea()
    {
        for (var i = 0; i < Messages; i++)
        {
            _iovecs[i] = new IoVec { Base = AddressOf(_data, i * MessageBytes), Length = MessageBytes };
            _messages[i].Header.Name = AddressOf(_addresses, i);
            _messages[i].Header.Iov = AddressOf(_iovecs, i);
            _messages[i].Header.IovLength = 1;
        }
    }

    /// <summary>Messages received that still hold datagrams not handed out.</summary>
    public bool HasPending => _message < _received;

    /// <summary>Messages of the last receive that carried several datagrams (GRO at work).</summary>
    public int CoalescedInLastReceive { get; private set; }

    public static GroReceiveArea Rent()
    {
        if (t_spare is { } spare)
        {
            t_spare = null;
            return spare;
        }
        lock (Pool)
        {
            if (Pool.TryPop(out var area))
                return area;
        }
        return new GroReceiveArea();
    }

    public static void Return(GroReceiveArea area)
    {
        area._received = area._message = area._offset = 0;
        if (t_spare is null)
        {
            t_spare = area;
            return;
        }
        lock (Pool)
        {
            if (Pool.Count < PoolSize)
                Pool.Push(area);
        }
    }

    /// <summary>Readies <paramref name="count"/> messages for a recvmmsg and returns the first.</summary>
    public MMsgHdr* Prepare(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _messages[i].Header.NameLength = SockAddrInet.Size;
            _messages[i].Header.Control = AddressOf(_control, i * ControlSpace);
            _messages[i].Header.ControlLength = ControlSpace;
            _messages[i].Header.Flags = 0;
            _messages[i].Length = 0;
        }
        return AddressOf(_messages, 0);
    }

    /// <summary>Takes the result of the recvmmsg: <paramref name="received"/> messages, each one datagram or a GRO run.</summary>
    public void Received(int received)
    {
        _received = received;
        _message = 0;
        _offset = 0;
        CoalescedInLastReceive = 0;
        for (var i = 0; i < received; i++)
        {
            var size = GroSegmentSize(i);
            var length = (int)_messages[i].Length;
            _segmentSize[i] = size > 0 ? size : Math.Max(length, 1);
            if (size > 0 && length > size)
                CoalescedInLastReceive++;
        }
    }

    /// <summary>
    /// Copies waiting datagrams into <c>datagrams[from..]</c> (each at its buffer's Offset, with its sender);
    /// returns how many. A datagram larger than its buffer's room is cut to fit (and so fails to open), as a
    /// plain recvmmsg would cut it.
    /// </summary>
    public int Emit(Span<PacketBuffer> datagrams, int from)
    {
        var count = 0;
        while (from + count < datagrams.Length && _message < _received)
        {
            var length = (int)_messages[_message].Length;
            var size = Math.Min(_segmentSize[_message], length - _offset); // 0 for an empty datagram, still one
            var datagram = datagrams[from + count];
            var copied = Math.Min(size, datagram.Writable.Length);
            _data.AsSpan(_message * MessageBytes + _offset, copied).CopyTo(datagram.Writable);
            datagram.Length = copied;
            datagram.Endpoint = _addresses[_message].ToEndpoint();
            count++;
            _offset += size;
            if (_offset >= length)
            {
                _message++;
                _offset = 0;
            }
        }
        return count;
    }

    /// <summary>The UDP_GRO control message's segment size, 0 when the message is one plain datagram.</summary>
    private int GroSegmentSize(int i)
    {
        var control = AddressOf(_control, i * ControlSpace);
        var used = (int)_messages[i].Header.ControlLength;
        var at = 0;
        while (at + CMsgHdr.Size <= used)
        {
            var header = (CMsgHdr*)(control + at);
            var length = (int)header->Length;
            if (length < CMsgHdr.Size || at + length > used)
                break;
            if (header->Level == UdpOptions.SOL_UDP && header->Type == UdpOptions.UDP_GRO && length >= CMsgHdr.LengthFor(sizeof(ushort)))
                return *(ushort*)(control + at + CMsgHdr.Size);
            at += (length + 7) & ~7;
        }
        return 0;
    }

    private static T* AddressOf<T>(T[] pinned, int i) where T : unmanaged =>
        (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned)) + i;

    private static byte* AddressOf(byte[] pinned, int offset) =>
        (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned)) + offset;
}

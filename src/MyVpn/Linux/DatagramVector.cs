using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MyVpn.Io;
using MyVpn.Linux.Interop;
using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>
/// The arguments of one <c>recvmmsg</c>/<c>sendmmsg</c> call for up to <see cref="Capacity"/> datagrams:
/// message headers, one iovec each and the peer addresses, allocated once, pinned and linked to each
/// other, so a call only points the iovecs at the batch's buffers (whose data is pinned too).
/// Not thread-safe: one per thread and direction (<see cref="LinuxUdpTransport"/>), used by one call at a time.
/// </summary>
internal sealed unsafe class DatagramVector
{
    private readonly MMsgHdr[] _messages;
    private readonly IoVec[] _iovecs;
    private readonly SockAddrIn[] _addresses;

    public DatagramVector(int capacity)
    {
        _messages = GC.AllocateArray<MMsgHdr>(capacity, pinned: true);
        _iovecs = GC.AllocateArray<IoVec>(capacity, pinned: true);
        _addresses = GC.AllocateArray<SockAddrIn>(capacity, pinned: true);
        for (var i = 0; i < capacity; i++)
        {
            _messages[i].Header.Name = AddressOf(_addresses, i);
            _messages[i].Header.Iov = AddressOf(_iovecs, i);
            _messages[i].Header.IovLength = 1;
        }
    }

    public int Capacity => _messages.Length;

    /// <summary>The first message, to pass to the kernel (the array never moves).</summary>
    public MMsgHdr* Messages => AddressOf(_messages, 0);

    /// <summary>Points message <paramref name="i"/> at the writable room of <paramref name="buffer"/>.</summary>
    public void PrepareReceive(int i, PacketBuffer buffer)
    {
        _iovecs[i].Base = DataOf(buffer);
        _iovecs[i].Length = (nuint)(buffer.Data.Length - buffer.Offset);
        _messages[i].Header.NameLength = SockAddrIn.Size;
        _messages[i].Header.Flags = 0;
        _messages[i].Length = 0;
    }

    /// <summary>Points message <paramref name="i"/> at the bytes of <paramref name="buffer"/>, addressed to its endpoint.</summary>
    public void PrepareSend(int i, PacketBuffer buffer)
    {
        _iovecs[i].Base = DataOf(buffer);
        _iovecs[i].Length = (nuint)buffer.Length;
        _addresses[i] = SockAddrIn.From(buffer.Endpoint);
        _messages[i].Header.NameLength = SockAddrIn.Size;
        _messages[i].Header.Flags = 0;
    }

    /// <summary>The bytes message <paramref name="i"/> received.</summary>
    public int ReceivedLength(int i) => (int)_messages[i].Length;

    /// <summary>Who sent message <paramref name="i"/>.</summary>
    public NetEndpoint Sender(int i) => _addresses[i].ToEndpoint();

    private static byte* DataOf(PacketBuffer buffer) =>
        (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer.Data)) + buffer.Offset;

    private static T* AddressOf<T>(T[] pinned, int i) where T : unmanaged =>
        (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned)) + i;
}

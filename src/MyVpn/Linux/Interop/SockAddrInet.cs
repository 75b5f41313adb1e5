using System.Buffers.Binary;
using System.Runtime.InteropServices;
using MyVpn.Net;

namespace MyVpn.Linux.Interop;

/// <summary>
/// Room for a <c>struct sockaddr_in</c> (family, port, address, 8 bytes of zero) or a <c>struct sockaddr_in6</c>
/// (family, port, flow info, 16-byte address, scope id): 28 bytes, all in network order but the family.
/// A message's peer address, whichever family the kernel writes; written as the socket's family wants it
/// (an IPv4 peer of an IPv6 socket as ::ffff:a.b.c.d). A value: nothing is allocated.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 28)]
internal struct SockAddrInet
{
    public const ushort AF_INET = 2;
    public const ushort AF_INET6 = 10;

    /// <summary>sizeof(struct sockaddr_in6), the room a receive offers.</summary>
    public const uint Size = 28;

    /// <summary>sizeof(struct sockaddr_in).</summary>
    public const uint SizeIn = 16;

    [FieldOffset(0)] public ushort Family;
    [FieldOffset(2)] public ushort PortNetworkOrder;
    // sockaddr_in: sin_addr; sockaddr_in6: sin6_flowinfo
    [FieldOffset(4)] public uint AddressNetworkOrder;
    // sockaddr_in6: sin6_addr as four big-endian words (sockaddr_in: sin_zero, then nothing); words, not
    // longs, so that the struct keeps the C alignment and size (28, not 32)
    [FieldOffset(8)] public uint Address0;
    [FieldOffset(12)] public uint Address1;
    [FieldOffset(16)] public uint Address2;
    [FieldOffset(20)] public uint Address3;
    [FieldOffset(24)] public uint ScopeId;

    /// <summary>
    /// Writes <paramref name="endpoint"/> for a socket of the family <paramref name="ipv6Socket"/> says and returns
    /// the length to give the kernel. An IPv6 endpoint for an IPv4 socket is written as sockaddr_in6 all the same:
    /// the kernel refuses it (EAFNOSUPPORT), a datagram dropped as any other the kernel refuses.
    /// </summary>
    public static uint Write(ref SockAddrInet address, NetEndpoint endpoint, bool ipv6Socket)
    {
        if (!ipv6Socket && endpoint.IsIPv4)
        {
            address = new SockAddrInet
            {
                Family = AF_INET,
                PortNetworkOrder = BinaryPrimitives.ReverseEndianness(endpoint.Port),
                AddressNetworkOrder = BinaryPrimitives.ReverseEndianness(endpoint.Address.Value),
            };
            return SizeIn;
        }
        var ip = endpoint.IPv6;
        address = new SockAddrInet
        {
            Family = AF_INET6,
            PortNetworkOrder = BinaryPrimitives.ReverseEndianness(endpoint.Port),
            Address0 = BinaryPrimitives.ReverseEndianness((uint)(ip.High >> 32)),
            Address1 = BinaryPrimitives.ReverseEndianness((uint)ip.High),
            Address2 = BinaryPrimitives.ReverseEndianness((uint)(ip.Low >> 32)),
            Address3 = BinaryPrimitives.ReverseEndianness((uint)ip.Low),
        };
        return Size;
    }

    /// <summary>The endpoint the kernel wrote (an IPv4-mapped IPv6 peer as plain IPv4).</summary>
    public readonly NetEndpoint ToEndpoint() => Family == AF_INET6
        ? new NetEndpoint(new IPv6Address(Half(Address0, Address1), Half(Address2, Address3)), BinaryPrimitives.ReverseEndianness(PortNetworkOrder))
        : new NetEndpoint(new IPv4Address(BinaryPrimitives.ReverseEndianness(AddressNetworkOrder)),
            BinaryPrimitives.ReverseEndianness(PortNetworkOrder));

    private static ulong Half(uint first, uint second) =>
        ((ulong)BinaryPrimitives.ReverseEndianness(first) << 32) | BinaryPrimitives.ReverseEndianness(second);
}

using System.Buffers.Binary;
using System.Runtime.InteropServices;
using MyVpn.Net;

namespace MyVpn.Linux.Interop;

/// <summary><c>struct sockaddr_in</c>: family, port and address in network order, 8 bytes of zero.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SockAddrIn
{
    public const ushort AF_INET = 2;
    public const uint Size = 16;

    public ushort Family;
    public ushort PortNetworkOrder;
    public uint AddressNetworkOrder;
    public ulong Zero;

    public static SockAddrIn From(NetEndpoint endpoint) => new()
    {
        Family = AF_INET,
        PortNetworkOrder = BinaryPrimitives.ReverseEndianness(endpoint.Port),
        AddressNetworkOrder = BinaryPrimitives.ReverseEndianness(endpoint.Address.Value),
    };

    public readonly NetEndpoint ToEndpoint() => new(
        new IPv4Address(BinaryPrimitives.ReverseEndianness(AddressNetworkOrder)),
        BinaryPrimitives.ReverseEndianness(PortNetworkOrder));
}

using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MyVpn.Net;

/// <summary>An IPv6 address as a value: 16 bytes held as two 64-bit halves in network order.</summary>
public readonly record struct IPv6Address(ulong High, ulong Low)
{
    public const int Length = 16;

    public static IPv6Address Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not an IPv6 address");

    public static bool TryParse(string text, out IPv6Address address)
    {
        address = default;
        if (!text.Contains(':') || !IPAddress.TryParse(text, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6 || ip.ScopeId != 0)
            return false;
        address = From(ip);
        return true;
    }

    public static IPv6Address From(IPAddress ip)
    {
        Span<byte> bytes = stackalloc byte[Length];
        if (ip.AddressFamily != AddressFamily.InterNetworkV6 || !ip.TryWriteBytes(bytes, out var n) || n != Length)
            throw new FormatException($"'{ip}' is not an IPv6 address");
        return Read(bytes);
    }

    public static IPv6Address Read(ReadOnlySpan<byte> bytes) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));

    public void Write(Span<byte> bytes)
    {
        BinaryPrimitives.WriteUInt64BigEndian(bytes, High);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], Low);
    }

    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[Length];
        Write(bytes);
        return new IPAddress(bytes);
    }

    public override string ToString() => ToIPAddress().ToString();
}

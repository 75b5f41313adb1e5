using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MyVpn.Net;

/// <summary>An IPv4 address as a 32-bit value in host order (10.0.0.1 is 0x0A000001).</summary>
public readonly record struct IPv4Address(uint Value) : IComparable<IPv4Address>
{
    public static IPv4Address Parse(string text)
    {
        if (!IPAddress.TryParse(text, out var ip) || ip.AddressFamily != AddressFamily.InterNetwork)
            throw new FormatException($"'{text}' is not an IPv4 address");
        return From(ip);
    }

    public static bool TryParse(string text, out IPv4Address address)
    {
        address = default;
        if (!IPAddress.TryParse(text, out var ip) || ip.AddressFamily != AddressFamily.InterNetwork)
            return false;
        address = From(ip);
        return true;
    }

    public static IPv4Address From(IPAddress ip)
    {
        Span<byte> bytes = stackalloc byte[4];
        if (!ip.TryWriteBytes(bytes, out var n) || n != 4)
            throw new FormatException($"'{ip}' is not an IPv4 address");
        return new IPv4Address(BinaryPrimitives.ReadUInt32BigEndian(bytes));
    }

    public static IPv4Address Read(ReadOnlySpan<byte> bytes) => new(BinaryPrimitives.ReadUInt32BigEndian(bytes));

    public void Write(Span<byte> bytes) => BinaryPrimitives.WriteUInt32BigEndian(bytes, Value);

    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[4];
        Write(bytes);
        return new IPAddress(bytes);
    }

    public int CompareTo(IPv4Address other) => Value.CompareTo(other.Value);

    public override string ToString() => $"{Value >> 24}.{(Value >> 16) & 0xFF}.{(Value >> 8) & 0xFF}.{Value & 0xFF}";
}

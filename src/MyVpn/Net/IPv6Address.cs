using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MyVpn.Net;

/// <summary>An IPv6 address as a 128-bit value in two halves, host order (fd00::1 is High 0xFD00_0000_0000_0000, Low 1).</summary>
public readonly record struct IPv6Address(ulong High, ulong Low) : IComparable<IPv6Address>
{
    public const int Size = 16;

    // IPAddress also takes brackets, a zone (%eth0) and a port: the text of an address is only these.
    private static readonly SearchValues<char> TextChars = SearchValues.Create("0123456789abcdefABCDEF:.");

    /// <summary>::, the unspecified address.</summary>
    public static IPv6Address Any => default;

    /// <summary>::1.</summary>
    public static IPv6Address Loopback => new(0, 1);

    /// <summary>True for ::ffff:a.b.c.d, the form a dual-stack socket gives an IPv4 peer.</summary>
    public bool IsIPv4Mapped => High == 0 && (Low >> 32) == 0xFFFF;

    /// <summary>The IPv4 address inside ::ffff:a.b.c.d (only meaningful when <see cref="IsIPv4Mapped"/>).</summary>
    public IPv4Address MappedIPv4 => new((uint)Low);

    /// <summary>::ffff:a.b.c.d for an IPv4 address.</summary>
    public static IPv6Address MapIPv4(IPv4Address address) => new(0, 0xFFFF_0000_0000UL | address.Value);

    public static IPv6Address Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not an IPv6 address");

    /// <summary>Any textual IPv6 form (RFC 4291), without brackets and without a zone (%eth0).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out IPv6Address address)
    {
        address = default;
        if (text.ContainsAnyExcept(TextChars) || !IPAddress.TryParse(text, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6)
            return false;
        address = From(ip);
        return true;
    }

    public static bool TryParse(string text, out IPv6Address address) => TryParse(text.AsSpan(), out address);

    public static IPv6Address From(IPAddress ip)
    {
        if (ip.AddressFamily != AddressFamily.InterNetworkV6)
            throw new FormatException($"'{ip}' is not an IPv6 address");
        Span<byte> bytes = stackalloc byte[Size];
        ip.TryWriteBytes(bytes, out _);
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
        Span<byte> bytes = stackalloc byte[Size];
        Write(bytes);
        return new IPAddress(bytes);
    }

    public int CompareTo(IPv6Address other) => High != other.High ? High.CompareTo(other.High) : Low.CompareTo(other.Low);

    /// <summary>The 16-bit group at <paramref name="index"/> (0 to 7, most significant first).</summary>
    public ushort Group(int index) => (ushort)((index < 4 ? High : Low) >> (48 - 16 * (index & 3)));

    /// <summary>RFC 5952 text: lower-case hex, no leading zeros, the longest run of two or more zero groups
    /// (the first, on a tie) as ::, and ::ffff:a.b.c.d for an IPv4-mapped address.</summary>
    public override string ToString()
    {
        if (IsIPv4Mapped)
            return $"::ffff:{MappedIPv4}";
        int bestStart = -1, bestLength = 1;
        for (int i = 0; i < 8;)
        {
            if (Group(i) != 0)
            {
                i++;
                continue;
            }
            var start = i;
            while (i < 8 && Group(i) == 0)
                i++;
            if (i - start > bestLength)
                (bestStart, bestLength) = (start, i - start);
        }
        var text = new StringBuilder(39);
        for (int i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                text.Append("::");
                i += bestLength - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLength)
                text.Append(':');
            text.Append(Group(i).ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }
}

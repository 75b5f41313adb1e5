using System.Buffers.Binary;

namespace MyVpn.Net;

/// <summary>
/// A CIDR block of IPv6 addresses of any prefix length, /0 to /128 (<c>fe80::/10</c>, or one address written
/// alone): the IPv6 counterpart of <see cref="IPv4Range"/>, checked against a packet's 16 address bytes in place.
/// </summary>
public readonly record struct IPv6Range
{
    private readonly ulong _high;
    private readonly ulong _low;

    public IPv6Range(IPv6Address network, int prefixLength)
    {
        if (prefixLength is < 0 or > 128)
            throw new FormatException($"prefix length /{prefixLength} is outside /0../128");
        PrefixLength = prefixLength;
        Span<byte> bytes = stackalloc byte[IPv6Address.Size];
        network.Write(bytes);
        _high = BinaryPrimitives.ReadUInt64BigEndian(bytes) & HighMask(prefixLength);
        _low = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]) & LowMask(prefixLength);
    }

    public int PrefixLength { get; }

    public IPv6Address First
    {
        get
        {
            Span<byte> bytes = stackalloc byte[IPv6Address.Size];
            BinaryPrimitives.WriteUInt64BigEndian(bytes, _high);
            BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], _low);
            return IPv6Address.Read(bytes);
        }
    }

    /// <summary>Whether the 16 bytes of an address are inside the range.</summary>
    public bool Contains(ReadOnlySpan<byte> address) =>
        (BinaryPrimitives.ReadUInt64BigEndian(address) & HighMask(PrefixLength)) == _high
        && (BinaryPrimitives.ReadUInt64BigEndian(address[8..]) & LowMask(PrefixLength)) == _low;

    public bool Contains(IPv6Address address)
    {
        Span<byte> bytes = stackalloc byte[IPv6Address.Size];
        address.Write(bytes);
        return Contains(bytes);
    }

    public static IPv6Range Single(IPv6Address address) => new(address, 128);

    /// <summary>Parses <c>ADDRESS/N</c> or a bare address (a /128); an address with bits set past the prefix is refused.</summary>
    public static IPv6Range Parse(string text)
    {
        var slash = text.IndexOf('/');
        if (slash < 0)
            return IPv6Address.TryParse(text, out var single) ? Single(single)
                : throw new FormatException($"'{text}' is not an IPv6 CIDR range like fe80::/10");
        if (!int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out var prefix) || prefix > 128
            || !IPv6Address.TryParse(text[..slash], out var network))
            throw new FormatException($"'{text}' is not an IPv6 CIDR range like fe80::/10");
        var range = new IPv6Range(network, prefix);
        if (range.First != network)
            throw new FormatException($"'{text}' has host bits set; the range is {range}");
        return range;
    }

    private static ulong HighMask(int prefixLength) => prefixLength switch
    {
        <= 0 => 0,
        >= 64 => ulong.MaxValue,
        _ => ulong.MaxValue << (64 - prefixLength),
    };

    private static ulong LowMask(int prefixLength) => prefixLength switch
    {
        <= 64 => 0,
        _ => ulong.MaxValue << (128 - prefixLength),
    };

    public override string ToString() => $"{First}/{PrefixLength}";
}

using System.Buffers.Binary;

namespace MyVpn.Net;

/// <summary>
/// The VPN's IPv6 subnet, such as fd12:3456:789a:1::/64: a prefix of /64 to /120. Client <c>n</c> of the
/// IPv4 subnet is host <c>n</c> here too (<see cref="Host"/>, <see cref="TryHostIndex"/>), so the data
/// path checks a packet's 16-byte address in place, with no allocation.
/// </summary>
public readonly record struct IPv6Subnet
{
    public const int MinPrefixLength = 64;
    public const int MaxPrefixLength = 120;

    private readonly ulong _high;
    private readonly ulong _low;

    public IPv6Subnet(IPv6Address network, int prefixLength)
    {
        if (prefixLength is < MinPrefixLength or > MaxPrefixLength)
            throw new FormatException($"prefix length /{prefixLength} is outside /{MinPrefixLength}../{MaxPrefixLength}");
        PrefixLength = prefixLength;
        Span<byte> bytes = stackalloc byte[IPv6Address.Size];
        network.Write(bytes);
        _high = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _low = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]) & LowMask(prefixLength);
    }

    public int PrefixLength { get; }

    /// <summary>The first address (all host bits zero): the subnet-router anycast address, never a host's.</summary>
    public IPv6Address Network => Host(0);

    /// <summary>How many host indexes the subnet has room for, capped at 2^32 (index 0 is the network address).</summary>
    public ulong IndexCount => PrefixLength <= 96 ? 1UL << 32 : 1UL << (128 - PrefixLength);

    /// <summary>The address whose host bits are <paramref name="n"/>: host 1 is fd..::1.</summary>
    public IPv6Address Host(uint n)
    {
        Span<byte> bytes = stackalloc byte[IPv6Address.Size];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, _high);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], _low | n);
        return IPv6Address.Read(bytes);
    }

    public bool Contains(IPv6Address address)
    {
        Span<byte> bytes = stackalloc byte[IPv6Address.Size];
        address.Write(bytes);
        return Contains(bytes);
    }

    /// <summary>Whether the 16 bytes of an address (in a packet, say) are inside the subnet.</summary>
    public bool Contains(ReadOnlySpan<byte> address) =>
        BinaryPrimitives.ReadUInt64BigEndian(address) == _high
        && (BinaryPrimitives.ReadUInt64BigEndian(address[8..]) & LowMask(PrefixLength)) == _low;

    /// <summary>
    /// The host index of an address inside the subnet whose host bits fit 32 bits (fd..::a:5 is 0xA0005); false
    /// for an address outside the subnet or with host bits above the lowest 32.
    /// </summary>
    public bool TryHostIndex(ReadOnlySpan<byte> address, out uint n)
    {
        n = 0;
        if (!Contains(address))
            return false;
        var host = BinaryPrimitives.ReadUInt64BigEndian(address[8..]) & ~LowMask(PrefixLength);
        if (host > uint.MaxValue)
            return false;
        n = (uint)host;
        return true;
    }

    public bool TryHostIndex(IPv6Address address, out uint n)
    {
        Span<byte> bytes = stackalloc byte[IPv6Address.Size];
        address.Write(bytes);
        return TryHostIndex(bytes, out n);
    }

    public static IPv6Subnet Parse(string text)
    {
        var slash = text.IndexOf('/');
        if (slash <= 0 || !int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out var prefix)
            || !IPv6Address.TryParse(text[..slash], out var network))
            throw new FormatException($"'{text}' is not an IPv6 subnet like fd00:1234:5678::/64");
        return new IPv6Subnet(network, prefix);
    }

    private static ulong LowMask(int prefixLength) => prefixLength <= 64 ? 0 : ulong.MaxValue << (128 - prefixLength);

    public override string ToString() => $"{Network}/{PrefixLength}";
}

namespace MyVpn.Net;

/// <summary>
/// A CIDR block of IPv4 addresses of any prefix length, /0 to /32 (<c>169.254.0.0/16</c>, or one address
/// written alone). Unlike <see cref="IPv4Subnet"/>, which is the VPN's own subnet, it is only a set of addresses.
/// </summary>
public readonly record struct IPv4Range
{
    public IPv4Range(IPv4Address network, int prefixLength)
    {
        if (prefixLength is < 0 or > 32)
            throw new FormatException($"prefix length /{prefixLength} is outside /0../32");
        PrefixLength = prefixLength;
        First = new IPv4Address(network.Value & MaskOf(prefixLength));
    }

    public IPv4Address First { get; }
    public int PrefixLength { get; }
    public IPv4Address Last => new(First.Value | ~MaskOf(PrefixLength));

    public bool Contains(IPv4Address address) => (address.Value & MaskOf(PrefixLength)) == First.Value;

    public static IPv4Range Single(IPv4Address address) => new(address, 32);

    /// <summary>Parses <c>A.B.C.D/N</c> or a bare address (a /32); an address with bits set past the prefix is refused.</summary>
    public static IPv4Range Parse(string text)
    {
        var slash = text.IndexOf('/');
        if (slash < 0)
            return IPv4Address.TryParse(text, out var single) && text.Count(c => c == '.') == 3
                ? Single(single)
                : throw new FormatException($"'{text}' is not a CIDR range like 169.254.0.0/16");
        if (!int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out var prefix) || prefix > 32
            || text[..slash].Count(c => c == '.') != 3 || !IPv4Address.TryParse(text[..slash], out var network))
            throw new FormatException($"'{text}' is not a CIDR range like 169.254.0.0/16");
        var range = new IPv4Range(network, prefix);
        if (range.First != network)
            throw new FormatException($"'{text}' has host bits set; the range is {range}");
        return range;
    }

    private static uint MaskOf(int prefixLength) => prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength);

    public override string ToString() => $"{First}/{PrefixLength}";
}

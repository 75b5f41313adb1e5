namespace MyVpn.Net;

/// <summary>An IPv4 network such as 10.0.0.0/24.</summary>
public readonly record struct IPv4Subnet
{
    public IPv4Subnet(IPv4Address network, int prefixLength)
    {
        if (prefixLength is < 8 or > 30)
            throw new FormatException($"prefix length /{prefixLength} is outside /8../30");
        PrefixLength = prefixLength;
        Network = new IPv4Address(network.Value & MaskOf(prefixLength));
    }

    public IPv4Address Network { get; }
    public int PrefixLength { get; }
    public uint Mask => MaskOf(PrefixLength);
    public IPv4Address Broadcast => new(Network.Value | ~Mask);

    /// <summary>The number of host addresses (network and broadcast excluded).</summary>
    public int HostCount => (int)(~Mask - 1);

    public bool Contains(IPv4Address address) => (address.Value & Mask) == Network.Value;

    /// <summary>The n-th host address: 1 is the first usable one (10.0.0.1 in 10.0.0.0/24).</summary>
    public IPv4Address Host(int n) => new(Network.Value + (uint)n);

    public static IPv4Subnet Parse(string text)
    {
        var slash = text.IndexOf('/');
        if (slash <= 0 || !int.TryParse(text.AsSpan(slash + 1), out var prefix))
            throw new FormatException($"'{text}' is not a subnet like 10.0.0.0/24");
        return new IPv4Subnet(IPv4Address.Parse(text[..slash]), prefix);
    }

    private static uint MaskOf(int prefixLength) => prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength);

    public override string ToString() => $"{Network}/{PrefixLength}";
}

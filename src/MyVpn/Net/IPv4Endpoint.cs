using System.Net;

namespace MyVpn.Net;

/// <summary>An IPv4 address and a UDP or TCP port, as a value (no allocation).</summary>
public readonly record struct IPv4Endpoint(IPv4Address Address, ushort Port)
{
    public static IPv4Endpoint Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !ushort.TryParse(text.AsSpan(colon + 1), out var port))
            throw new FormatException($"'{text}' is not ADDRESS:PORT");
        return new IPv4Endpoint(IPv4Address.Parse(text[..colon]), port);
    }

    public IPEndPoint ToIPEndPoint() => new(Address.ToIPAddress(), Port);

    public static IPv4Endpoint From(IPEndPoint endpoint) => new(IPv4Address.From(endpoint.Address), (ushort)endpoint.Port);

    public override string ToString() => $"{Address}:{Port}";
}

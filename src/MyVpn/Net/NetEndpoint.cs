using System.Net;
using System.Net.Sockets;

namespace MyVpn.Net;

/// <summary>An IPv4 or IPv6 address and a UDP or TCP port, as a value (no allocation). An IPv4-mapped IPv6
/// address (::ffff:a.b.c.d, what a dual-stack socket reports for an IPv4 peer) is held as the plain IPv4
/// address, so the same peer is the same endpoint whichever socket saw it. The default is 0.0.0.0:0.</summary>
public readonly record struct NetEndpoint
{
    // An IPv6 address, or (when _isIPv6 is false) an IPv4 address in the low 32 bits of Low.
    private readonly IPv6Address _address;
    private readonly bool _isIPv6;

    public NetEndpoint(IPv4Address address, ushort port)
    {
        _address = new IPv6Address(0, address.Value);
        Port = port;
    }

    public NetEndpoint(IPv6Address address, ushort port)
    {
        _address = address.IsIPv4Mapped ? new IPv6Address(0, address.MappedIPv4.Value) : address;
        _isIPv6 = !address.IsIPv4Mapped;
        Port = port;
    }

    public ushort Port { get; init; }

    public bool IsIPv6 => _isIPv6;

    public bool IsIPv4 => !_isIPv6;

    /// <summary>The IPv4 address; an IPv6 endpoint has none (check <see cref="IsIPv6"/> first).</summary>
    public IPv4Address Address =>
        _isIPv6 ? throw new InvalidOperationException($"{this} is an IPv6 endpoint") : new IPv4Address((uint)_address.Low);

    /// <summary>The address as IPv6: itself, or ::ffff:a.b.c.d for an IPv4 endpoint (as a dual-stack socket wants it).</summary>
    public IPv6Address IPv6 => _isIPv6 ? _address : IPv6Address.MapIPv4(new IPv4Address((uint)_address.Low));

    /// <summary>The address as text: 1.2.3.4 or fd00::1 (no brackets, no port).</summary>
    public string AddressText => _isIPv6 ? _address.ToString() : Address.ToString();

    /// <summary>ADDRESS:PORT: 1.2.3.4:51820 or [fd00::1]:51820.</summary>
    public static NetEndpoint Parse(string text) =>
        TryParse(text, out var endpoint) ? endpoint
        : throw new FormatException(text.StartsWith('[') || text.Count(c => c == ':') > 1
            ? $"'{text}' is not [IPV6-ADDRESS]:PORT"
            : $"'{text}' is not ADDRESS:PORT");

    public static bool TryParse(string text, out NetEndpoint endpoint)
    {
        endpoint = default;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !ushort.TryParse(text.AsSpan(colon + 1), out var port))
            return false;
        var host = text.AsSpan(0, colon);
        if (host.Length > 2 && host[0] == '[' && host[^1] == ']')
        {
            if (!IPv6Address.TryParse(host[1..^1], out var v6))
                return false;
            endpoint = new NetEndpoint(v6, port);
            return true;
        }
        if (host.Contains(':') || !IPv4Address.TryParse(host.ToString(), out var v4))
            return false;
        endpoint = new NetEndpoint(v4, port);
        return true;
    }

    public IPEndPoint ToIPEndPoint() => new(_isIPv6 ? _address.ToIPAddress() : Address.ToIPAddress(), Port);

    /// <summary>The endpoint of an <see cref="IPEndPoint"/> of either family (an IPv4-mapped address becomes IPv4).</summary>
    public static NetEndpoint From(IPEndPoint endpoint) => endpoint.AddressFamily == AddressFamily.InterNetworkV6
        ? new NetEndpoint(IPv6Address.From(endpoint.Address), (ushort)endpoint.Port)
        : new NetEndpoint(IPv4Address.From(endpoint.Address), (ushort)endpoint.Port);

    public override string ToString() => _isIPv6 ? $"[{_address}]:{Port}" : $"{Address}:{Port}";
}

using MyVpn.Net;

namespace MyVpn.Protocol;

/// <summary>What the server hands a client at the end of a handshake (everything but the keys).</summary>
public sealed record SessionGrant(
    uint SessionId,
    IPv4Address ClientAddress,
    int PrefixLength,
    IPv4Address ServerAddress,
    ushort Port,
    int Mtu,
    TimeSpan KeepaliveInterval)
{
    public IPv4Subnet Subnet => new(ClientAddress, PrefixLength);

    /// <summary>The routes and DNS settings the server pushes (the grant extension); none by default.</summary>
    public PushedSettings Pushed { get; init; } = PushedSettings.None;

    /// <summary>The client's IPv6 address inside the tunnel, the subnet's prefix and the server's (grant extension section 1); null: IPv4 only.</summary>
    public Ipv6Grant? Ipv6 { get; init; }

    /// <summary>Whether the grant needs the extension after the fixed fields (something pushed, or IPv6).</summary>
    public bool HasExtension => !Pushed.IsEmpty || Ipv6 is not null;
}

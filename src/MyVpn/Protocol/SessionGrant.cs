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
}

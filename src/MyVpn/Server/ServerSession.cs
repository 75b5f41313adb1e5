using MyVpn.Io;
using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Server;

/// <summary>One client's session on the server: its address, its own UDP port and socket, its keys and timers.</summary>
internal sealed class ServerSession(string name, SessionGrant grant, Session crypto, long now) : IDisposable
{
    public string Name { get; } = name;
    public SessionGrant Grant { get; } = grant;
    public Session Crypto { get; } = crypto;
    public IPv4Address Address => Grant.ClientAddress;
    public ushort Port => Grant.Port;
    public IDatagramTransport? Transport { get; set; }

    /// <summary>Where the client's datagrams come from; unknown (default) until the first authentic one.</summary>
    public UdpEndpoint Endpoint { get; set; }
    public bool HasEndpoint => Endpoint.Port != 0;

    public long LastReceived { get; set; } = now;
    public long LastSent { get; set; } = now;

    public void Dispose()
    {
        Transport?.Dispose();
        Crypto.Dispose();
    }
}

/// <summary>What a host or a test may see of a session.</summary>
public sealed record SessionInfo(string Name, uint SessionId, IPv4Address Address, ushort Port, UdpEndpoint Endpoint);

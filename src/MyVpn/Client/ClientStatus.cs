using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Client;

/// <summary>What a host may see of the client engine: its session, if any, and what it carried (a snapshot).</summary>
/// <param name="Grant">The current (or last) session's grant; null before the first.</param>
/// <param name="Connected">True while a session is up.</param>
/// <param name="Endpoint">The server's UDP endpoint of the current session (default between sessions).</param>
/// <param name="SinceHandshake">Time since the last handshake (the session's start or its latest rekey); zero before the first.</param>
public sealed record ClientStatus(SessionGrant? Grant, bool Connected, NetEndpoint Endpoint, TimeSpan SinceHandshake)
{
    /// <summary>Inner packets opened from the server's datagrams since the client started (keepalives and rekey requests not counted).</summary>
    public long RxPackets { get; init; }

    /// <summary>The bytes of <see cref="RxPackets"/>.</summary>
    public long RxBytes { get; init; }

    /// <summary>Inner packets sealed for the server since the client started (keepalives not counted).</summary>
    public long TxPackets { get; init; }

    /// <summary>The bytes of <see cref="TxPackets"/>.</summary>
    public long TxBytes { get; init; }
}

using MyVpn.Net;

namespace MyVpn.Sim.Checkers;

/// <summary>
/// A client completes handshakes with the server and nobody else: the session a client reports was granted
/// to that client by the server, and the endpoint the client handshook with is where the server's handshake
/// port was when it granted it. A grant still in flight when the server moves is the server's own (the client
/// learns the old address is dead later); an endpoint the server never granted from is not.
/// </summary>
internal sealed class HandshakePeerChecker(SimNetwork network, Violations violations)
{
    private const string Name = "handshake-peer";

    /// <summary>Where the server was when it granted each client's session: (client, session id) → endpoint.</summary>
    private readonly Dictionary<(string Client, uint SessionId), NetEndpoint> _granted = [];

    /// <summary>Sessions checked so far.</summary>
    public long Checked { get; private set; }

    /// <summary>The server granted <paramref name="sessionId"/> to <paramref name="client"/> from <paramref name="server"/>'s handshake <paramref name="port"/>.</summary>
    public void OnGranted(string client, uint sessionId, SimHost server, ushort port) =>
        _granted[(client, sessionId)] = new NetEndpoint(server.Address, port);

    /// <param name="client">The client host that reports a session.</param>
    /// <param name="peer">The endpoint its engine handshook with.</param>
    /// <param name="sessionId">The session id of the grant the client took.</param>
    /// <param name="server">The server host.</param>
    public void OnConnected(SimHost client, NetEndpoint peer, uint sessionId, SimHost server)
    {
        Checked++;
        var there = network.HostAt(peer.Address)?.Name ?? "nobody";
        if (!_granted.TryGetValue((client.Name, sessionId), out var grantedFrom))
            violations.Report(network.Now, Name,
                $"{client.Name} completed a handshake with {peer} ({there}) for session {sessionId:x8}, which {server.Name} never granted it");
        else if (grantedFrom != peer)
            violations.Report(network.Now, Name,
                $"{client.Name} completed a handshake with {peer} ({there}), not with {server.Name} at {grantedFrom}, where it granted session {sessionId:x8}");
    }
}

using MyVpn.Net;

namespace MyVpn.Sim.Checkers;

/// <summary>
/// A client completes handshakes with the server and nobody else: when a client reports a new session, the
/// endpoint it handshook with is the server host's handshake port at that moment (not an address the server
/// left, not whoever holds it now).
/// </summary>
internal sealed class HandshakePeerChecker(SimNetwork network, Violations violations)
{
    private const string Name = "handshake-peer";

    /// <summary>Sessions checked so far.</summary>
    public long Checked { get; private set; }

    /// <param name="client">The client host that reports a session.</param>
    /// <param name="peer">The endpoint its engine handshook with.</param>
    /// <param name="server">The server host.</param>
    /// <param name="port">The server's handshake port.</param>
    public void OnConnected(SimHost client, NetEndpoint peer, SimHost server, ushort port)
    {
        Checked++;
        var there = network.HostAt(peer.Address);
        if (there != server || peer.Port != port)
            violations.Report(network.Now, Name,
                $"{client.Name} completed a handshake with {peer} ({there?.Name ?? "nobody"}), not with {server.Name} at {server.Address}:{port}");
    }
}

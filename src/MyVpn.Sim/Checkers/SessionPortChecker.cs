using System.Buffers.Binary;
using MyVpn.Protocol;

namespace MyVpn.Sim.Checkers;

/// <summary>
/// Sessions use the ports the server's mode says, and each stays with its own client. In one-port mode every
/// grant names the handshake port and the server sends every datagram from it; otherwise each grant names, and
/// the server sends from, a port of its session range, never the handshake port. And every datagram the server
/// sends to a client's host carries (in its IV) the id of a session granted to that host's client: a datagram
/// relabelled with another session's id, or sent from another client's address, never moves a session to
/// another host.
/// </summary>
internal sealed class SessionPortChecker(Violations violations, string server, ushort singlePort, ushort firstPort, ushort lastPort)
{
    private const string Name = "session-port";
    private readonly Dictionary<uint, string> _owners = [];
    private readonly HashSet<string> _clients = [];

    /// <summary>Datagrams from the server checked so far.</summary>
    public long Checked { get; private set; }

    /// <summary>Grants checked so far.</summary>
    public long Grants { get; private set; }

    private bool OnePort => singlePort != 0;

    private string Expected => OnePort ? $"the one port {singlePort}" : $"a session port ({firstPort}-{lastPort})";

    private bool Allowed(ushort port) => OnePort ? port == singlePort : port >= firstPort && port <= lastPort;

    /// <summary>A client's engine reports <paramref name="grant"/>: its port must fit the mode; its session id is now the client's.</summary>
    public void OnGranted(long time, string client, SessionGrant grant)
    {
        Grants++;
        _clients.Add(client);
        _owners[grant.SessionId] = client;
        if (!Allowed(grant.Port))
            violations.Report(time, Name, $"{client} was granted udp port {grant.Port}, not {Expected} (session {grant.SessionId:x8})");
    }

    /// <summary>Sees every wire event; checks the server's datagrams.</summary>
    public void OnWire(WireEvent e)
    {
        if (e.Kind != WireKind.Udp || e.SourceHost != server)
            return;
        Checked++;
        if (!Allowed(e.Source.Port))
            violations.Report(e.Time, Name, $"{server} sent a datagram from udp port {e.Source.Port}, not from {Expected}, to {e.TargetHost} {e.Target}");
        if (e.Bytes.Length < WireFormat.IvLength || !_clients.Contains(e.TargetHost))
            return;
        var session = BinaryPrimitives.ReadUInt32BigEndian(e.Bytes);
        if (_owners.TryGetValue(session, out var owner) && owner != e.TargetHost)
            violations.Report(e.Time, Name, $"{server} sent a datagram of {owner}'s session {session:x8} to {e.TargetHost} at {e.Target}");
    }
}

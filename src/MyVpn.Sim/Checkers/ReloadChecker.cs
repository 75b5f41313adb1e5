namespace MyVpn.Sim.Checkers;

/// <summary>
/// A reload takes effect at once: a client removed from the configuration completes no handshake while it is
/// removed (the server grants none; the client reports none but a grant sent before the removal), and no datagram of a session the reload
/// ended (its client removed, or given a new key) opens on the server after the reload, ever.
/// </summary>
internal sealed class ReloadChecker(SimNetwork network, Violations violations)
{
    private const string Name = "reload";

    private readonly Dictionary<string, HashSet<uint>> _sessionIds = [];
    private readonly Dictionary<(string Client, uint SessionId), (long At, string Why)> _retired = [];
    private readonly Dictionary<string, long> _removed = [];

    /// <summary>Grants and openings checked.</summary>
    public long Checked { get; private set; }

    /// <summary>The server granted <paramref name="client"/> a handshake under <paramref name="sessionId"/>.</summary>
    public void OnGranted(string client, uint sessionId)
    {
        Checked++;
        if (_removed.TryGetValue(client, out var since))
            violations.Report(network.Now, Name,
                $"the server granted {client} a handshake (session {sessionId:x8}) while it was removed from the configuration (since t={Trace.FormatTime(since)})");
        if (!_sessionIds.TryGetValue(client, out var ids))
            _sessionIds[client] = ids = [];
        ids.Add(sessionId);
    }

    /// <summary>
    /// <paramref name="client"/> reported a new session or a rekey under <paramref name="sessionId"/>. While it is
    /// removed, that can only be a grant the server sent before the removal and which reached the client late
    /// (the reload ended it: its datagrams open nothing); any other session is a handshake the removal let through.
    /// </summary>
    public void OnClientConnected(string client, uint sessionId)
    {
        Checked++;
        if (_removed.TryGetValue(client, out var since) && !_retired.ContainsKey((client, sessionId)))
            violations.Report(network.Now, Name,
                $"{client} completed a handshake (session {sessionId:x8}) while it was removed from the configuration (since t={Trace.FormatTime(since)}), not one granted before the removal");
    }

    /// <summary>The server opened a datagram of <paramref name="client"/> under <paramref name="sessionId"/>.</summary>
    public void OnServerOpened(string client, uint sessionId)
    {
        Checked++;
        if (_retired.TryGetValue((client, sessionId), out var retired))
        {
            var (at, why) = retired;
            violations.Report(network.Now, Name,
                $"the server opened a datagram of {client} under session {sessionId:x8}, which ended when {client} was {why} at t={Trace.FormatTime(at)}");
        }
    }

    /// <summary>The server's configuration no longer lists <paramref name="client"/> (the reload has run).</summary>
    public void Removed(string client)
    {
        _removed.TryAdd(client, network.Now);
        Retire(client, "removed");
    }

    /// <summary><paramref name="client"/> is listed again.</summary>
    public void Restored(string client) => _removed.Remove(client);

    /// <summary><paramref name="client"/>'s key changed in the server's configuration (the reload has run).</summary>
    public void Rekeyed(string client) => Retire(client, "given a new key");

    private void Retire(string client, string why)
    {
        if (!_sessionIds.Remove(client, out var ids))
            return;
        foreach (var id in ids)
            _retired.TryAdd((client, id), (network.Now, why));
    }
}

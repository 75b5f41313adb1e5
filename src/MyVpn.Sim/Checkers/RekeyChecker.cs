namespace MyVpn.Sim.Checkers;

/// <summary>
/// Rekeying retires keys on time and every rekey that is asked for happens. On each side (the server, per client
/// name, and each client), a session id's keys retire when a newer session id of the same peer first opens a
/// datagram there; from then on the retired keys may open only for the rekey grace (the server's and the client's
/// <c>RekeyGrace</c>), never after. A session asked to rekey (<see cref="Asked"/>) must complete a
/// handshake or end (a restart, its client removed or given a new key) before the run is over.
/// </summary>
internal sealed class RekeyChecker(SimNetwork network, Violations violations, TimeSpan serverGrace, TimeSpan clientGrace)
{
    private const string Name = "rekey";

    private readonly Dictionary<string, KeyHistory> _server = [];
    private readonly Dictionary<string, KeyHistory> _clients = [];
    private readonly SortedDictionary<string, long> _asked = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Client, uint SessionId), long> _grantOrder = [];
    private long _grants;

    /// <summary>Datagrams whose opening was checked, on both sides.</summary>
    public long Checked { get; private set; }

    /// <summary>Sessions asked to rekey that have not yet rekeyed or ended.</summary>
    public IReadOnlyCollection<string> Pending => _asked.Keys;

    /// <summary>The server opened a datagram from <paramref name="client"/> under the keys of <paramref name="sessionId"/>.</summary>
    public void OnServerOpened(string client, uint sessionId) => Opened(_server, client, sessionId, serverGrace, "the server");

    /// <summary><paramref name="client"/> opened a datagram from the server under the keys of <paramref name="sessionId"/>.</summary>
    public void OnClientOpened(string client, uint sessionId) => Opened(_clients, client, sessionId, clientGrace, client);

    /// <summary>
    /// The server granted <paramref name="client"/> <paramref name="sessionId"/>: grants give the order of a client's
    /// sessions, so an older session whose first datagram opens late (a replayed copy) is not taken for a rekey.
    /// </summary>
    public void OnGranted(string client, uint sessionId) => _grantOrder[(client, sessionId)] = ++_grants;

    /// <summary><paramref name="client"/>'s session was asked to rekey now (by the server's request or its own re-handshake).</summary>
    public void Asked(string client) => _asked.TryAdd(client, network.Now);

    /// <summary><paramref name="client"/> completed a handshake (a rekey or a new session): what it was asked is done.</summary>
    public void OnHandshake(string client) => _asked.Remove(client);

    /// <summary><paramref name="client"/>'s session ended (a restart, a reload that removed or re-keyed it): nothing is left to rekey.</summary>
    public void OnSessionEnded(string client) => _asked.Remove(client);

    /// <summary>Every session's session ended (the server restarted).</summary>
    public void OnAllSessionsEnded() => _asked.Clear();

    /// <summary>At the end of a run: every session asked to rekey did, or ended.</summary>
    public void CheckSettled()
    {
        foreach (var (client, at) in _asked)
            violations.Report(network.Now, Name,
                $"{client} was asked to rekey at t={Trace.FormatTime(at)} and neither completed a handshake nor ended its session since");
    }

    private void Opened(Dictionary<string, KeyHistory> side, string client, uint sessionId, TimeSpan grace, string where)
    {
        Checked++;
        if (!side.TryGetValue(client, out var history))
            side[client] = history = new KeyHistory();
        var now = network.Now;
        // an older session that opens for the first time after a newer one did retired when the newer one opened
        if (!history.Live.Contains(sessionId) && !history.RetiredAt.ContainsKey(sessionId) &&
            history.Live.Count == 1 && IsOlder(client, sessionId, history.Live.First()))
            history.RetiredAt[sessionId] = history.LiveSince;
        if (history.RetiredAt.TryGetValue(sessionId, out var retired))
        {
            if (now - retired >= grace.Ticks)
                violations.Report(now, Name,
                    $"{where} opened a datagram of {client} under session {sessionId:x8}, retired at t={Trace.FormatTime(retired)}, " +
                    $"after its {grace.TotalSeconds:0.#} s grace");
            return;
        }
        if (history.Live.Contains(sessionId))
            return;
        // a newer session id opens for the first time: every older one retires now
        foreach (var older in history.Live)
            history.RetiredAt[older] = now;
        history.Live.Clear();
        history.Live.Add(sessionId);
        history.LiveSince = now;
    }

    /// <summary>Both were granted to <paramref name="client"/>, <paramref name="sessionId"/> before <paramref name="than"/>.</summary>
    private bool IsOlder(string client, uint sessionId, uint than) =>
        _grantOrder.TryGetValue((client, sessionId), out var order) &&
        _grantOrder.TryGetValue((client, than), out var thanOrder) && order < thanOrder;

    private sealed class KeyHistory
    {
        /// <summary>The session id that opened last for the first time (one at most).</summary>
        public HashSet<uint> Live { get; } = [];

        /// <summary>When the live session id first opened.</summary>
        public long LiveSince { get; set; }

        public Dictionary<uint, long> RetiredAt { get; } = [];
    }
}

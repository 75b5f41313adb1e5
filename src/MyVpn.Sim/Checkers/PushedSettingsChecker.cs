using MyVpn.Protocol;

namespace MyVpn.Sim.Checkers;

/// <summary>
/// Pushed settings follow the configuration: every grant the server makes (a new session or a rekey) carries the
/// pushed routes and DNS settings in effect at that moment (<see cref="Set"/>: the configuration, as reloads change
/// it); every session a client reports carries what the server granted under its session id; and at the end of a
/// run each connected client holds what its last handshake granted (<see cref="CheckApplied"/>).
/// </summary>
internal sealed class PushedSettingsChecker(SimNetwork network, Violations violations, PushedSettings initial)
{
    private const string Name = "pushed-settings";

    private readonly Dictionary<uint, PushedSettings> _granted = [];

    /// <summary>What the configuration pushes now.</summary>
    public PushedSettings InEffect { get; private set; } = initial;

    /// <summary>Grants and sessions checked.</summary>
    public long Checked { get; private set; }

    /// <summary>The configuration pushes <paramref name="pushed"/> from now on (a reload has run).</summary>
    public void Set(PushedSettings pushed) => InEffect = pushed;

    /// <summary>The server granted <paramref name="client"/> a handshake.</summary>
    public void OnGranted(string client, SessionGrant grant)
    {
        Checked++;
        _granted[grant.SessionId] = grant.Pushed;
        if (!grant.Pushed.Equals(InEffect))
            violations.Report(network.Now, Name,
                $"the server granted {client} session {grant.SessionId:x8} with pushed settings {Describe(grant.Pushed)}, not those in effect: {Describe(InEffect)}");
    }

    /// <summary><paramref name="client"/> reports a session under <paramref name="grant"/>.</summary>
    public void OnClientConnected(string client, SessionGrant grant)
    {
        Checked++;
        if (!_granted.TryGetValue(grant.SessionId, out var granted))
            violations.Report(network.Now, Name, $"{client} reports session {grant.SessionId:x8}, which the server never granted");
        else if (!granted.Equals(grant.Pushed))
            violations.Report(network.Now, Name,
                $"{client} holds pushed settings {Describe(grant.Pushed)} for session {grant.SessionId:x8}, which the server granted with {Describe(granted)}");
    }

    /// <summary>
    /// <paramref name="client"/>'s engine holds <paramref name="applied"/> (its grant now) after its last handshake
    /// was granted <paramref name="last"/>: they must be the same settings.
    /// </summary>
    public void CheckApplied(string client, SessionGrant? last, SessionGrant? applied)
    {
        if (last is null || applied is null)
            return;
        Checked++;
        if (!last.Pushed.Equals(applied.Pushed))
            violations.Report(network.Now, Name,
                $"{client} applies pushed settings {Describe(applied.Pushed)}, not those its last handshake granted: {Describe(last.Pushed)}");
    }

    public static string Describe(PushedSettings pushed) =>
        pushed.IsEmpty ? "(none)"
            : $"(routes {string.Join(",", pushed.Routes)}; dns {string.Join(",", pushed.DnsServers)}; search {string.Join(",", pushed.SearchDomains)})";
}

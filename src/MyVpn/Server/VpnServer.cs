using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MyVpn.Io;
using MyVpn.Diagnostics;
using MyVpn.Protocol;
using MyVpn.Tunnel;

namespace MyVpn.Server;

/// <summary>
/// The server engine: accepts handshakes, gives each session an address and its own UDP port (or, in
/// one-port mode, the one port all sessions share: <c>VpnServer.SinglePort.cs</c>),
/// and routes between sessions and the server's tun device. Thread-safe, and the directions run in
/// parallel: see <c>docs/threading.md</c>.
/// </summary>
/// <remarks>
/// Threads. The control plane (granting sessions, session add/replace/remove, keepalives, expiry,
/// dispose) runs under <see cref="_lock"/>; handshakes run outside it, each under its own lock (see
/// <c>VpnServer.Handshake.cs</c>), and take it only to be granted their session. The data path takes no engine-wide lock: the tun direction holds
/// <see cref="_tunLock"/> (uncontended: one tun reader) and its own scratch; each session's socket
/// callback holds that session's receive lock and a scratch rented from <see cref="_receiveScratch"/>,
/// so different sessions are received in parallel and one session's datagrams are opened in order.
/// Both read the sessions through <see cref="_table"/>, an immutable snapshot replaced whole (copy on
/// write, under <see cref="_lock"/>) whenever a session comes or goes, and published with a volatile
/// write: a handshake never stalls the data path, and the data path never sees a half-updated table.
/// A thread may still hold a session the control plane has just removed: its seal or open then fails
/// (counted as <see cref="DropReason.SessionClosed"/>) and its disposed socket sends and receives nothing.
/// </remarks>
public sealed partial class VpnServer : IStreamAcceptor, IDisposable
{
    private const int BatchSize = 64;

    private readonly Lock _lock = new();
    private readonly Lock _tunLock = new();
    private readonly VpnServerOptions _options;
    private readonly ITunDevice _tun;
    private readonly IDatagramBinder _binder;
    private readonly TimeProvider _time;
    private readonly IRandomSource _random;
    private readonly ILogger _logger;
    private ClientDirectory _directory;
    private readonly Router _router;
    private readonly AddressPool _addresses;
    private readonly PortPool _ports;
    private readonly List<ServerSession> _sessions = [];
    private readonly Dictionary<string, ServerSession> _byName = [];
    private readonly DataPathScratch _tunScratch;
    private readonly ScratchPool _receiveScratch;
    private readonly PacketBuffer _keepalive = new(64);
    private readonly ITimer _tick;
    private readonly WarningLimiter<HandshakeError> _failureLog;
    private readonly WarningLimiter<HandshakeRefusal> _refusalLog;
    private readonly TooBigAnswers _tooBig;
    private SessionTable _table = SessionTable.Empty;
    private TrafficTotals _closedTraffic = TrafficTotals.Zero;
    private volatile bool _disposed;

    public VpnServer(VpnServerOptions options, ITunDevice tun, IDatagramBinder binder, TimeProvider time,
        IRandomSource random, ILogger<VpnServer>? logger = null)
    {
        _options = options;
        _tun = tun;
        _binder = binder;
        _time = time;
        _random = random;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _directory = new ClientDirectory(options.Clients, options.SharedKey);
        if (options.Subnet6 is { } v6 && VpnServerOptions.Subnet6Problem(v6, options.Subnet) is { } problem)
            throw new ArgumentException(problem, nameof(options));
        _router = new Router(options.Subnet, options.EffectiveServerAddress, new ReachPolicy(options.Subnet,
            options.EffectiveServerAddress, options.HostAddresses, options.Block, options.Allow, options.ClientToClient),
            options.Subnet6, options.Subnet6 is { } subnet6
                ? new ReachPolicy6(subnet6, options.EffectiveServerAddress6!.Value, options.HostAddresses6, options.Block6, options.Allow6)
                : null);
        _addresses = new AddressPool(options.Subnet, options.EffectiveServerAddress,
            options.Clients.Where(c => c.StaticAddress is not null).Select(c => c.StaticAddress!.Value));
        _ports = new PortPool(options.FirstPort, options.LastPort);
        var capacity = Math.Max(PacketBuffer.DefaultCapacity, options.Mtu + 2 * WireFormat.Overhead);
        _tunScratch = new DataPathScratch(BatchSize, capacity);
        _receiveScratch = new ScratchPool(BatchSize, capacity);
        _forwardFromTun = ForwardFromTun;
        _failureLog = new WarningLimiter<HandshakeError>(time, options.WarningInterval);
        _refusalLog = new WarningLimiter<HandshakeRefusal>(time, options.WarningInterval);
        _tooBig = new TooBigAnswers(time);
        _grace = (long)(options.RekeyGrace.TotalSeconds * time.TimestampFrequency);
        _tick = time.CreateTimer(_ => OnTick(), null, TickPeriod(options), TickPeriod(options));
        BindSharedPort();
    }

    /// <summary>The rekey grace period in <see cref="TimeProvider"/> timestamp units.</summary>
    private readonly long _grace;

    /// <summary>How often the server checks keepalives, expiry and rekeys: often enough for both.</summary>
    internal static TimeSpan TickPeriod(VpnServerOptions options) =>
        TimeSpan.FromTicks(Math.Min(options.KeepaliveInterval.Ticks / 2, options.RekeyInterval.Ticks / 4));

    public DropCounters Drops { get; } = new();

    /// <summary>Who may connect now: replaced whole by <see cref="UpdateClients"/> (under <see cref="_lock"/>), read without a lock.</summary>
    private ClientDirectory Directory => Volatile.Read(ref _directory);

    /// <summary>The key a client of this name proves: its own, else the shared key (single-key form), else none.</summary>
    private byte[]? KeyFor(string name) => Directory.KeyFor(name);

    /// <summary>Failed handshakes, by reason.</summary>
    public HandshakeFailureCounters HandshakeFailures { get; } = new();

    /// <summary>Completed handshakes (rekeys among them) and their durations, from accepting the connection to the grant.</summary>
    public HandshakeCounters HandshakeCounts { get; } = new();

    /// <summary>How many sessions are up.</summary>
    public int SessionCount
    {
        get
        {
            lock (_lock)
                return _sessions.Count;
        }
    }

    /// <summary>The live sessions, in the order they were created.</summary>
    public IReadOnlyList<SessionInfo> Sessions
    {
        get
        {
            lock (_lock)
            {
                var now = _time.GetTimestamp();
                return _sessions.Select(s => s.Snapshot(_time, now)).ToList();
            }
        }
    }

    /// <summary>The traffic of every session since the engine started: the closed ones' and the live ones' so far.</summary>
    public TrafficTotals Traffic
    {
        get
        {
            lock (_lock)
            {
                var now = _time.GetTimestamp();
                return _sessions.Select(s => s.Snapshot(_time, now))
                    .Aggregate(_closedTraffic, (total, s) => total.Plus(s.RxPackets, s.RxBytes, s.TxPackets, s.TxBytes));
            }
        }
    }

    /// <summary>
    /// Sends keepalives where a session has been quiet, asks for rekeys, drops keys whose grace is over,
    /// and closes sessions that went silent or never rekeyed.
    /// </summary>
    private void OnTick()
    {
        lock (_lock)
        {
            if (_disposed)
                return;
            var now = _time.GetTimestamp();
            for (var i = _sessions.Count - 1; i >= 0; i--)
            {
                var session = _sessions[i];
                var idle = _time.GetElapsedTime(session.LastReceived, now);
                if (idle > _options.SessionTimeout)
                {
                    ServerLog.SessionExpired(_logger, session.Name, session.Address, session.Port, idle);
                    RemoveSession(session);
                    continue;
                }
                session.ExpirePrevious(now);
                var keys = session.Keys;
                var age = _time.GetElapsedTime(keys.CurrentBorn, now);
                if (age >= VpnServerOptions.RekeyDeadlineFactor * _options.RekeyInterval)
                {
                    ServerLog.RekeyOverdue(_logger, session.Name, session.Address, session.Port, age);
                    RemoveSession(session);
                }
                else if (session.HasEndpoint && (session.RekeyAsked || NeedsRekey(keys.Current, age)))
                {
                    SendRekeyRequest(session, keys.Current, now);
                }
                else if (session.HasEndpoint && _time.GetElapsedTime(session.LastSent, now) >= _options.KeepaliveInterval)
                {
                    SendKeepalive(session, now);
                }
            }
            if (SinglePort)
                _ids.Prune();
        }
    }

    /// <summary>
    /// Asks the client named <paramref name="name"/> for a rekey now, whatever the schedule says: the request goes
    /// out at once and again on every tick until the rekey lands, as a scheduled one does. False if the client
    /// has no session, or one the server has not heard from yet (it knows no endpoint to ask).
    /// </summary>
    public bool RequestRekey(string name)
    {
        lock (_lock)
        {
            if (_disposed || !_byName.TryGetValue(name, out var session) || !session.HasEndpoint)
                return false;
            session.RekeyAsked = true;
            SendRekeyRequest(session, session.Keys.Current, _time.GetTimestamp());
            return true;
        }
    }

    /// <summary>
    /// Observer for checkers (the simulator's): called on a session's receiving thread after each authentic
    /// datagram from its client opened, with the client's name and the session id of the keys that opened it.
    /// Null (the default): nothing is called.
    /// </summary>
    public Action<string, uint>? Opened { get; set; }

    /// <summary>
    /// Observer for checkers: called under the control lock with the client's name and its grant each time a
    /// handshake is granted (a new session or a rekey). Null (the default): nothing is called.
    /// </summary>
    public Action<string, SessionGrant>? Granted { get; set; }

    private bool NeedsRekey(Session current, TimeSpan age) =>
        age >= _options.RekeyInterval
        || current.NextCounter >= WireFormat.SoftCounterLimit
        || current.HighestOpened >= WireFormat.SoftCounterLimit;

    /// <summary>
    /// Asks the client for a rekey with an authenticated one-byte datagram (docs/protocol.md §5.7), on every
    /// tick until the rekey lands (the rekeyed keys are young again). Also serves as the keepalive.
    /// </summary>
    private void SendRekeyRequest(ServerSession session, Session current, long now)
    {
        _keepalive.Offset = 0;
        _keepalive.Data[WireFormat.IvLength] = WireFormat.RekeyRequest;
        if (DataPath.SealAndSend(current, _keepalive, 1, session.Transport!, session.Endpoint, Drops))
        {
            session.LastSent = now;
            if (session.RekeyRequests++ == 0)
                ServerLog.RekeyRequested(_logger, session.Name, current.Id);
        }
    }

    private void SendKeepalive(ServerSession session, long now)
    {
        if (DataPath.SendKeepalive(session.Crypto, _keepalive, session.Transport!, session.Endpoint, Drops))
            session.LastSent = now;
    }

    /// <summary>Under <see cref="_lock"/>.</summary>
    private void AddSession(ServerSession session)
    {
        _sessions.Add(session);
        _byName.Add(session.Name, session);
        Volatile.Write(ref _table, _table.With(session));
        if (SinglePort)
            _ids.Add(session.SessionId, session);
    }

    /// <summary>Under <see cref="_lock"/>. Unpublishes the session first, then closes it.</summary>
    private void RemoveSession(ServerSession session)
    {
        _sessions.Remove(session);
        _byName.Remove(session.Name);
        Volatile.Write(ref _table, _table.Without(session));
        if (SinglePort)
            _ids.Remove(session);
        _addresses.Release(session.Address);
        _ports.Release(session.Port);
        session.Dispose();
        var last = session.Snapshot(_time, 0);
        _closedTraffic = _closedTraffic.Plus(last.RxPackets, last.RxBytes, last.TxPackets, last.TxBytes);
    }

    public void Dispose()
    {
        lock (_handshakeLock)
        {
            lock (_lock)
            {
                if (_disposed)
                    return;
                _disposed = true;
                _tick.Dispose();
                foreach (var session in _sessions.ToArray())
                    RemoveSession(session);
                _shared?.Dispose();
            }
        }
        // outside both locks: a handshake's own lock comes before them (docs/threading.md); no session can follow: _disposed is set
        foreach (var handshake in HandshakesInFlight())
            handshake.Abort();
    }
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MyVpn.Diagnostics;
using MyVpn.Io;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Tunnel;

namespace MyVpn.Client;

/// <summary>
/// The client engine: handshakes with the server, then carries packets between the tun device and
/// its server port; re-handshakes (with backoff) when the server stops answering. Only the first
/// connection can end in a permanent refusal; after that no unauthenticated message stops it.
/// Thread-safe, and the two directions run in parallel (see <c>docs/threading.md</c>).
/// </summary>
/// <remarks>
/// Threads. The control plane (start, handshakes, keepalives, the dead-server check, dispose) runs
/// under <see cref="_lock"/>. The tun→server direction holds <see cref="_tunLock"/> and the
/// server→tun direction <see cref="_receiveLock"/>, each with buffers of its own, so the two never
/// wait for each other or for a handshake. Both read the current session through
/// <see cref="Tunnel"/>, an immutable set (current keys, previous keys in their grace, server endpoint)
/// replaced whole and published with a volatile write or a compare-and-swap, so no direction sees half a rekey. A direction that still holds a session the control plane has just ended
/// sees its seal or open fail, counted as <see cref="DropReason.SessionClosed"/>.
/// </remarks>
public sealed partial class VpnClient : IDisposable
{
    private const int BatchSize = 64;

    private readonly Lock _lock = new();
    private readonly Lock _tunLock = new();
    private readonly Lock _receiveLock = new();
    private readonly VpnClientOptions _options;
    private readonly ITunDevice _tun;
    private readonly IDatagramBinder _binder;
    private readonly IStreamConnector _connector;
    private readonly TimeProvider _time;
    private readonly IRandomSource _random;
    private readonly ILogger _logger;
    private readonly IServerResolver? _resolver;
    private readonly WarningLimiter<string> _lookupWarnings;
    // The server's handshake endpoint now: the options' one, or what the last lookup of its name gave
    // (under _lock). _addressIndex picks among a lookup's addresses: the next after a network failure.
    private NetEndpoint _server;
    private int _addressIndex;
    private DataPathScratch? _tunScratch;
    private DataPathScratch? _receiveScratch;
    private readonly PacketBuffer _keepalive = new(64);
    private readonly TooBigAnswers _tooBig;
    private volatile IDatagramTransport? _transport;
    private ActiveSession? _tunnel;
    private ITimer? _control;
    private int _rekeyWanted;
    private int _confirmWanted;
    private long _grace;
    private int _bufferCount;
    private int _bufferCapacity;
    private long _lastReceived;
    private long _lastSent;
    private long _lastHandshake;
    // Traffic since start, inner packets only: sent by the tun direction (under _tunLock), received by the
    // socket direction (under _receiveLock, once per batch); each pair has one writer at a time.
    private long _txPackets;
    private long _txBytes;
    private long _rxPackets;
    private long _rxBytes;
    private ITimer? _tick;
    private volatile bool _stopped;
    private bool _gaveUp;

    public VpnClient(VpnClientOptions options, ITunDevice tun, IDatagramBinder binder, IStreamConnector connector,
        TimeProvider time, IRandomSource random, ILogger<VpnClient>? logger = null, IServerResolver? resolver = null)
    {
        _resolver = resolver;
        _server = options.Server;
        _lookupWarnings = new WarningLimiter<string>(time, WarningLimiter<string>.DefaultInterval);
        _options = options;
        _tun = tun;
        _binder = binder;
        _connector = connector;
        _time = time;
        _random = random;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _retryDelay = options.InitialRetryDelay;
        _sealForServer = SealForServer;
        _tooBig = new TooBigAnswers(time);
    }

    /// <summary>Raised (under the engine's lock) when a session is up: the host sets the tun address, MTU and routes.</summary>
    public event Action<SessionGrant>? Connected;

    /// <summary>
    /// Raised when the server refused this client's key (a Reject with the authentication code, or a
    /// ServerAccept that does not open) before any session of this engine was up: the client stops
    /// trying. Once a session has been up it is never raised: refusals are unauthenticated, so they
    /// are logged and retried (see <see cref="VpnClientOptions.MaxRefusalRetryDelay"/>).
    /// </summary>
    public event Action<string>? AuthenticationFailed;

    /// <summary>The current (or last) session's grant.</summary>
    public SessionGrant? Grant { get; private set; }

    /// <summary>
    /// Observer for checkers (the simulator's): called on the receiving thread after each authentic datagram
    /// from the server opened, with the session id of the keys that opened it. Null (the default): nothing is called.
    /// </summary>
    public Action<uint>? Opened { get; set; }

    /// <summary>True while a session is up.</summary>
    public bool IsConnected
    {
        get => Tunnel is not null;
    }

    /// <summary>The current session as the data path sees it (null between sessions).</summary>
    private ActiveSession? Tunnel
    {
        get => Volatile.Read(ref _tunnel);
        set => Volatile.Write(ref _tunnel, value);
    }

    /// <summary>How many sessions this client has established (1 after the first handshake).</summary>
    public int Handshakes { get; private set; }

    public DropCounters Drops { get; } = new();

    /// <summary>Completed handshakes (rekeys among them) with their durations from connecting to the session being up, and failed ones by reason.</summary>
    public HandshakeCounters HandshakeCounts { get; } = new();

    /// <summary>A snapshot of the session and the traffic, for the host's status.</summary>
    public ClientStatus Status
    {
        get
        {
            lock (_lock)
            {
                var tunnel = Tunnel;
                var since = Handshakes == 0 ? TimeSpan.Zero : _time.GetElapsedTime(_lastHandshake);
                return new ClientStatus(Grant, tunnel is not null, tunnel?.Endpoint ?? default, since)
                {
                    RxPackets = Volatile.Read(ref _rxPackets),
                    RxBytes = Volatile.Read(ref _rxBytes),
                    TxPackets = Volatile.Read(ref _txPackets),
                    TxBytes = Volatile.Read(ref _txBytes),
                };
            }
        }
    }

    /// <summary>
    /// The server's handshake endpoint: <see cref="VpnClientOptions.Server"/>, or with a resolver the address
    /// its last lookup gave (default until the first lookup answered).
    /// </summary>
    public NetEndpoint Server
    {
        get
        {
            lock (_lock)
                return _server;
        }
    }

    /// <summary>The local UDP endpoint the tunnel's datagrams leave from.</summary>
    public NetEndpoint LocalEndpoint => _transport?.LocalEndpoint ?? default;

    /// <summary>Binds the client's UDP socket and starts the first handshake.</summary>
    public void Start()
    {
        lock (_lock)
        {
            if (_transport is not null || _stopped)
                throw new InvalidOperationException("the client has started already");
            _grace = (long)(_options.RekeyGrace.TotalSeconds * _time.TimestampFrequency);
            _control = _time.CreateTimer(_ => OnControl(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _transport = _binder.Bind(0, _ => OnDatagramsReadable());
            SizeBuffers(PacketBuffer.DefaultCapacity);
            BeginHandshake();
        }
    }

    /// <summary>Keepalives, and the check that the server still answers.</summary>
    private void OnTick()
    {
        lock (_lock)
        {
            if (_stopped || Tunnel is null)
                return;
            var now = _time.GetTimestamp();
            ExpirePrevious(now);
            var silence = _time.GetElapsedTime(Volatile.Read(ref _lastReceived), now);
            var deadAfter = _options.DeadAfterKeepalives * Grant!.KeepaliveInterval;
            if (silence > deadAfter)
            {
                ClientLog.ServerSilent(_logger, _server, silence);
                EndSession();
                BeginHandshake();
            }
            else if (Tunnel.AwaitsConfirmation && _attempt is null && _time.GetElapsedTime(_lastHandshake, now) is var waited && waited > deadAfter)
            {
                // The server still seals under the old keys (so it is not silent) but never took the new ones: it
                // lost them (a stale handshake of ours replaced them there). Another rekey gives it keys it has.
                ClientLog.RekeyUnconfirmed(_logger, _server, Tunnel.Session.Id, waited);
                BeginHandshake();
            }
            else if (_time.GetElapsedTime(Volatile.Read(ref _lastSent), now) >= Grant.KeepaliveInterval)
            {
                SendKeepalive(now);
            }
        }
    }

    /// <summary>
    /// Sizes the batches (under <see cref="_lock"/>): as many buffers as the tun device or the socket
    /// hands over per call, each large enough for the session's MTU (at start, and when a grant raises
    /// the MTU). Each direction reallocates its own scratch, under its own lock, when it next runs.
    /// </summary>
    private void SizeBuffers(int capacity)
    {
        if (_bufferCapacity >= capacity)
            return;
        Volatile.Write(ref _bufferCount, Math.Clamp(Math.Max(_tun.BatchSize, _transport!.BatchSize), 1, BatchSize));
        Volatile.Write(ref _bufferCapacity, capacity);
    }

    /// <summary>A direction's scratch, (re)made when the buffers are to grow; under that direction's lock.</summary>
    private DataPathScratch? ScratchFor(ref DataPathScratch? scratch)
    {
        var capacity = Volatile.Read(ref _bufferCapacity);
        if (capacity == 0)
            return null;
        if (scratch is null || scratch.Capacity < capacity)
            scratch = new DataPathScratch(Volatile.Read(ref _bufferCount), capacity);
        return scratch;
    }

    private void SendKeepalive(long now)
    {
        var tunnel = Tunnel!;
        if (DataPath.SendKeepalive(tunnel.Session, _keepalive, _transport!, tunnel.Endpoint, Drops))
            Volatile.Write(ref _lastSent, now);
    }

    private void EndSession()
    {
        _tick?.Dispose();
        _tick = null;
        var ended = Tunnel;
        Tunnel = null;
        ended?.Session.Dispose();
        ended?.Previous?.Dispose();
    }

    /// <summary>
    /// What the data path needs of the current session; replaced whole, never changed. <see cref="Previous"/>
    /// (after a rekey) opens the server's datagrams until <see cref="PreviousUntil"/>, a timestamp that stays
    /// <see cref="long.MaxValue"/> until the server confirms it has switched (the first datagram under the new keys).
    /// </summary>
    private sealed record ActiveSession(Session Session, NetEndpoint Endpoint, Session? Previous = null, long PreviousUntil = 0)
    {
        /// <summary>The largest inner packet the session carries (the grant's MTU, or less: <see cref="VpnClientOptions.Mtu"/>).</summary>
        public int Mtu { get; init; } = Protocol.WireFormat.MaxInnerPacket;

        /// <summary>The server's VPN address: the source of the ICMP errors the client writes to tun for the tunnel.</summary>
        public IPv4Address Router { get; init; }

        /// <summary>The keys of the datagram's session id; null for none.</summary>
        public Session? Find(uint sessionId, long now)
        {
            if (sessionId == Session.Id)
                return Session;
            if (Previous is { } previous && sessionId == previous.Id && now < PreviousUntil)
                return previous;
            return null;
        }

        public bool AwaitsConfirmation => Previous is not null && PreviousUntil == long.MaxValue;

        /// <summary>The session's IPv6 grant: the source the client's IPv6 packets must carry; null: IPv4 only.</summary>
        public Ipv6Grant? Ipv6 { get; init; }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_stopped)
                return;
            _stopped = true;
            EndSession();
            AbandonAttempt();
            _control?.Dispose();
            CancelRetry();
            _transport?.Dispose();
            Connected = null;
            AuthenticationFailed = null;
        }
    }
}

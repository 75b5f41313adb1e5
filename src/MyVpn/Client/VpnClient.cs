using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MyVpn.Io;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Tunnel;

namespace MyVpn.Client;

/// <summary>
/// The client engine: handshakes with the server, then carries packets between the tun device and
/// its server port; re-handshakes (with backoff) when the server stops answering.
/// Thread-safe like <see cref="Server.VpnServer"/>.
/// </summary>
public sealed partial class VpnClient : IDisposable
{
    private const int BatchSize = 64;

    private readonly object _lock = new();
    private readonly ClientOptions _options;
    private readonly ITunDevice _tun;
    private readonly IDatagramBinder _binder;
    private readonly IStreamConnector _connector;
    private readonly TimeProvider _time;
    private readonly IRandomSource _random;
    private readonly ILogger _logger;
    private PacketBuffer[] _batch = [];
    private readonly PacketBuffer[] _toTun = new PacketBuffer[BatchSize];
    private readonly OutgoingDatagrams _outgoing = new(BatchSize);
    private readonly PacketBuffer _keepalive = new(64);
    private IDatagramTransport? _transport;
    private Session? _session;
    private UdpEndpoint _dataEndpoint;
    private long _lastReceived;
    private long _lastSent;
    private ITimer? _tick;
    private bool _stopped;
    private bool _gaveUp;

    public VpnClient(ClientOptions options, ITunDevice tun, IDatagramBinder binder, IStreamConnector connector,
        TimeProvider time, IRandomSource random, ILogger<VpnClient>? logger = null)
    {
        _options = options;
        _tun = tun;
        _binder = binder;
        _connector = connector;
        _time = time;
        _random = random;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _retryDelay = options.InitialRetryDelay;
    }

    /// <summary>Raised (under the engine's lock) when a session is up: the host sets the tun address, MTU and routes.</summary>
    public event Action<SessionGrant>? Connected;

    /// <summary>Raised when the server refused this client's key: permanent, the client stops trying.</summary>
    public event Action<string>? AuthenticationFailed;

    /// <summary>The current (or last) session's grant.</summary>
    public SessionGrant? Grant { get; private set; }

    /// <summary>True while a session is up.</summary>
    public bool IsConnected
    {
        get { lock (_lock) return _session is not null; }
    }

    /// <summary>How many sessions this client has established (1 after the first handshake).</summary>
    public int Handshakes { get; private set; }

    public DropCounters Drops { get; } = new();

    /// <summary>The local UDP endpoint the tunnel's datagrams leave from.</summary>
    public UdpEndpoint LocalEndpoint => _transport?.LocalEndpoint ?? default;

    /// <summary>Binds the client's UDP socket and starts the first handshake.</summary>
    public void Start()
    {
        lock (_lock)
        {
            if (_transport is not null || _stopped)
                throw new InvalidOperationException("the client has started already");
            _transport = _binder.Bind(0, _ => OnDatagramsReadable());
            SizeBuffers(PacketPool.DefaultCapacity);
            BeginHandshake();
        }
    }

    /// <summary>Keepalives, and the check that the server still answers.</summary>
    private void OnTick()
    {
        lock (_lock)
        {
            if (_stopped || _session is null)
                return;
            var now = _time.GetTimestamp();
            var silence = _time.GetElapsedTime(_lastReceived, now);
            if (silence > _options.DeadAfterKeepalives * Grant!.KeepaliveInterval)
            {
                ClientLog.ServerSilent(_logger, _options.Server, silence);
                EndSession();
                BeginHandshake();
            }
            else if (_time.GetElapsedTime(_lastSent, now) >= Grant.KeepaliveInterval)
            {
                SendKeepalive(now);
            }
        }
    }

    /// <summary>
    /// Sizes the receive batch: as many buffers as the tun device or the socket hands over per call,
    /// each large enough for the session's MTU (allocated at start and when a grant raises the MTU).
    /// </summary>
    private void SizeBuffers(int capacity)
    {
        if (_batch.Length > 0 && _batch[0].Data.Length >= capacity)
            return;
        var count = Math.Clamp(Math.Max(_tun.BatchSize, _transport!.BatchSize), 1, BatchSize);
        _batch = new PacketBuffer[count];
        for (var i = 0; i < count; i++)
            _batch[i] = new PacketBuffer(capacity);
    }

    private void SendKeepalive(long now)
    {
        if (DataPath.SendKeepalive(_session!, _keepalive, _transport!, _dataEndpoint))
            _lastSent = now;
    }

    private void EndSession()
    {
        _tick?.Dispose();
        _tick = null;
        _session?.Dispose();
        _session = null;
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
            _retryTimer?.Dispose();
            _transport?.Dispose();
            Connected = null;
            AuthenticationFailed = null;
        }
    }
}

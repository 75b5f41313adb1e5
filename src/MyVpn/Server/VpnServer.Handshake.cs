using MyVpn.Io;
using MyVpn.Diagnostics;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Tunnel;

namespace MyVpn.Server;

/// <remarks>
/// Handshakes and their limits. Admission (<see cref="Accept"/>) and the bookkeeping of handshakes in
/// flight run under <see cref="_handshakeLock"/>, a lock of their own: a flood of connections never
/// waits on the control lock. Each handshake's events run under that handshake's own lock, in order;
/// its key pair, ECDH and decryption run there, outside <see cref="_lock"/>, and at most
/// <see cref="VpnServerOptions.MaxConcurrentHandshakeCrypto"/> at once. Only granting the session
/// (<see cref="TryGrant"/>) takes <see cref="_lock"/>. The engines' lock order is in <c>docs/threading.md</c>.
/// </remarks>
public sealed partial class VpnServer
{
    private readonly Lock _handshakeLock = new();
    private readonly List<HandshakeConnection> _handshakes = [];
    private readonly Dictionary<IPv6Address, SourceState> _sources = []; // by NetEndpoint.SourceKey
    private int _sweepSourcesAt = MinSourcesBeforeSweep;
    private int _computing;

    private const int MinSourcesBeforeSweep = 1024;

    /// <summary>Connections refused before or during their handshake, by reason.</summary>
    public HandshakeRefusalCounters HandshakeRefusals { get; } = new();

    /// <summary>Handshakes in flight now (each holds a slot until it ends or its deadline passes).</summary>
    internal int HandshakesPending
    {
        get
        {
            lock (_handshakeLock)
                return _handshakes.Count;
        }
    }

    /// <summary>The host calls this for each accepted handshake connection.</summary>
    public IStreamHandler Accept(IStreamConnection connection)
    {
        var source = connection.RemoteEndpoint.SourceKey;
        HandshakeRefusal refusal;
        lock (_handshakeLock)
        {
            if (_disposed)
            {
                connection.Close();
                return ClosedHandler.Instance;
            }
            refusal = Admit(source, out var state);
            if (refusal == HandshakeRefusal.None)
            {
                var handshake = new HandshakeConnection(this, connection, state!);
                _handshakes.Add(handshake);
                return handshake;
            }
        }
        Refuse(connection, refusal);
        return ClosedHandler.Instance;
    }

    /// <summary>Under <see cref="_handshakeLock"/>: may this source start a handshake now? If so, it is counted in flight.</summary>
    private HandshakeRefusal Admit(IPv6Address source, out SourceState? state)
    {
        var now = _time.GetTimestamp();
        if (!_sources.TryGetValue(source, out state))
        {
            if (_sources.Count >= _sweepSourcesAt)
                SweepSources(now);
            state = new SourceState { Tokens = _options.HandshakeBurstPerSource, Refilled = now };
            _sources.Add(source, state);
        }
        Refill(state, now);
        if (state.InFlight >= _options.MaxHandshakesPerSource)
            return HandshakeRefusal.TooManyFromSource;
        if (state.Tokens < 1)
            return HandshakeRefusal.SourceRateExceeded;
        if (_handshakes.Count >= _options.MaxPendingHandshakes)
            return HandshakeRefusal.TooManyInFlight;
        state.Tokens -= 1;
        state.InFlight++;
        return HandshakeRefusal.None;
    }

    private void Refill(SourceState state, long now)
    {
        var earned = _time.GetElapsedTime(state.Refilled, now).TotalSeconds * _options.HandshakeRatePerSource;
        state.Tokens = Math.Min(_options.HandshakeBurstPerSource, state.Tokens + earned);
        state.Refilled = now;
    }

    /// <summary>Forgets sources with nothing in flight and a full bucket: they are as good as new. Amortised O(1) per source.</summary>
    private void SweepSources(long now)
    {
        List<IPv6Address>? idle = null;
        foreach (var (address, state) in _sources)
        {
            Refill(state, now);
            if (state.InFlight == 0 && state.Tokens >= _options.HandshakeBurstPerSource)
                (idle ??= []).Add(address);
        }
        foreach (var address in idle ?? [])
            _sources.Remove(address);
        _sweepSourcesAt = Math.Max(MinSourcesBeforeSweep, 2 * _sources.Count);
    }

    /// <summary>Refuses a connection cheaply: Reject Busy, then close; one warning line per reason per interval.</summary>
    private void Refuse(IStreamConnection connection, HandshakeRefusal refusal)
    {
        HandshakeRefusals.Add(refusal);
        if (_refusalLog.ShouldLog(refusal, out var suppressed))
            ServerLog.HandshakeRefused(_logger, connection.RemoteEndpoint, RefusalText(refusal), suppressed, _options.WarningInterval);
        connection.Send(ServerHandshake.RejectFrame(RejectCode.Busy));
        connection.Close();
    }

    private string RefusalText(HandshakeRefusal refusal) => refusal switch
    {
        HandshakeRefusal.TooManyInFlight => $"{_options.MaxPendingHandshakes} handshakes already in flight",
        HandshakeRefusal.TooManyFromSource => $"{_options.MaxHandshakesPerSource} handshakes already in flight from this address",
        HandshakeRefusal.SourceRateExceeded => $"more than {_options.HandshakeRatePerSource:0.##} handshakes per second from this address",
        HandshakeRefusal.CryptoBusy => $"{_options.MaxConcurrentHandshakeCrypto} handshake messages already being processed",
        _ => refusal.ToString(),
    };

    /// <summary>A handshake is over: it no longer counts against the global and per-source limits.</summary>
    private void Forget(HandshakeConnection handshake, SourceState source)
    {
        lock (_handshakeLock)
        {
            if (_handshakes.Remove(handshake))
                source.InFlight--;
        }
    }

    /// <summary>Takes one of the slots for handshake crypto; false when all are in use.</summary>
    private bool TryEnterCrypto()
    {
        if (Interlocked.Increment(ref _computing) <= _options.MaxConcurrentHandshakeCrypto)
            return true;
        Interlocked.Decrement(ref _computing);
        return false;
    }

    private void ExitCrypto() => Interlocked.Decrement(ref _computing);

    /// <summary>The handshakes in flight, to abort at shutdown (outside any lock they take).</summary>
    private HandshakeConnection[] HandshakesInFlight()
    {
        lock (_handshakeLock)
            return [.. _handshakes];
    }

    /// <summary>Gives an authenticated client its session; returns the error if none can be had.</summary>
    /// <param name="provedKey">The key the client proved, as looked up when its proof was checked: a reload since
    /// (the client removed or given a new key) refuses the grant.</param>
    private HandshakeError TryGrant(ServerHandshake handshake, byte[]? provedKey, NetEndpoint remote, out byte[] acceptFrame)
    {
        acceptFrame = [];
        var name = handshake.ClientName!;
        var directory = Directory;
        if (directory.KeyFor(name) is not { } key)
            return HandshakeError.UnknownClient;
        if (!ClientDirectory.SameKey(key, provedKey))
            return HandshakeError.WrongKey;
        directory.TryGet(name, out var entry);
        if (_byName.TryGetValue(name, out var existing))
            return Rekey(handshake, existing, remote, out acceptFrame);
        if (entry is null && SharedKeySessionsExcept(name) >= _options.MaxSharedKeySessions)
            return HandshakeError.SessionLimit;
        var preferred = handshake.RequestedAddress;

        IPv4Address address;
        if (entry?.StaticAddress is { } fixedAddress)
        {
            if (!_addresses.TryAllocateStatic(fixedAddress))
                return HandshakeError.NoAddressAvailable;
            address = fixedAddress;
        }
        else if (!_addresses.TryAllocate(preferred, out address))
        {
            return HandshakeError.NoAddressAvailable;
        }

        var grant = new SessionGrant(NewSessionId(), address, _options.Subnet.PrefixLength, _options.EffectiveServerAddress,
            0, Math.Min(entry?.Mtu ?? _options.Mtu, _options.Mtu), _options.KeepaliveInterval)
        {
            Pushed = Pushed, Ipv6 = entry?.Ipv6 == false ? null : _options.Ipv6GrantFor(address),
        };
        ServerSession? session = SinglePort ? SharedPortSession(handshake, name, ref grant, out acceptFrame) : null;
        while (session is null && _ports.TryAllocate(out var port))
        {
            grant = grant with { Port = port };
            IDatagramTransport transport;
            try
            {
                var bound = new SessionSlot();
                transport = _binder.Bind(port, _ => OnSessionReadable(bound.Session));
                var (frame, crypto) = handshake.Accept(grant, Session.Create, _options.KeyLog);
                acceptFrame = frame;
                session = new ServerSession(name, grant, crypto, _time.GetTimestamp()) { Transport = transport };
                bound.Session = session;
                break;
            }
            catch (PortUnavailableException e)
            {
                ServerLog.PortRetired(_logger, port, e.Message);
                _ports.Retire(port);
            }
        }
        if (session is null)
        {
            _addresses.Release(address);
            return HandshakeError.NoPortAvailable;
        }
        AddSession(session);
        ServerLog.HandshakeSucceeded(_logger, name, remote, address, session.Port, grant.SessionId);
        Granted?.Invoke(name, grant with { Port = session.Port });
        return HandshakeError.None;
    }

    /// <summary>
    /// A client that has a session handshook again (a rekey, or the client restarted): the session keeps its
    /// address, port, socket and endpoint; the new keys, under a new session id, are installed as next and
    /// take over for sealing once the client's first datagram under them arrives.
    /// </summary>
    private HandshakeError Rekey(ServerHandshake handshake, ServerSession session, NetEndpoint remote, out byte[] acceptFrame)
    {
        var grant = session.Grant with { SessionId = NewSessionId(), Pushed = Pushed };
        var (frame, crypto) = handshake.Accept(grant, Session.Create, _options.KeyLog);
        acceptFrame = frame;
        if (SinglePort)
            _ids.Add(grant.SessionId, session);
        session.InstallNext(crypto, _time.GetTimestamp());
        session.RekeyRequests = 0;
        session.RekeyAsked = false;
        ServerLog.Rekeyed(_logger, session.Name, remote, session.Address, session.Port, grant.SessionId);
        Granted?.Invoke(session.Name, grant);
        return HandshakeError.None;
    }

    /// <summary>A session id that is not zero and not used by any live keys (current, next or previous).</summary>
    /// <summary>Sessions of shared-key clients (names not configured), not counting <paramref name="name"/>'s own, which a new handshake replaces.</summary>
    private int SharedKeySessionsExcept(string name)
    {
        var directory = Directory;
        var count = 0;
        foreach (var session in _sessions)
            if (!directory.IsListed(session.Name) && session.Name != name)
                count++;
        return count;
    }

    private uint NewSessionId()
    {
        Span<byte> bytes = stackalloc byte[4];
        while (true)
        {
            _random.Fill(bytes);
            var id = BitConverter.ToUInt32(bytes);
            if (id != 0 && _sessions.TrueForAll(s => !s.Keys.Holds(id)))
                return id;
        }
    }

    /// <summary>Per source address: handshakes in flight and the token bucket that paces new ones.</summary>
    private sealed class SourceState
    {
        public int InFlight;
        public double Tokens;
        public long Refilled;
    }

    /// <summary>Where a new socket's callback finds its session, which exists only once the socket is bound.</summary>
    private sealed class SessionSlot
    {
        private ServerSession? _session;

        public ServerSession? Session
        {
            get => Volatile.Read(ref _session);
            set => Volatile.Write(ref _session, value);
        }
    }

    /// <summary>The handler of a connection refused at once: ignores everything.</summary>
    private sealed class ClosedHandler : IStreamHandler
    {
        public static readonly ClosedHandler Instance = new();
        public void OnConnected() { }
        public void OnData(ReadOnlySpan<byte> data) { }
        public void OnClosed() { }
    }
}

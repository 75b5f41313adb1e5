using MyVpn.Io;
using MyVpn.Protocol;
using MyVpn.Tunnel;

namespace MyVpn.Client;

public sealed partial class VpnClient
{
    private Attempt? _attempt;
    private ITimer? _retryTimer;
    private int _retryGeneration;
    private TimeSpan _retryDelay;

    /// <summary>
    /// Starts a handshake now while keeping the current session (if any) until the new one is up; a
    /// failure leaves that session alone and retries later with backoff. Nothing happens while a
    /// handshake is already under way, before <see cref="Start"/> or after a permanent refusal.
    /// </summary>
    public void Rehandshake()
    {
        lock (_lock)
        {
            if (!_stopped && !_gaveUp && _transport is not null && _attempt is null)
                BeginHandshake();
        }
    }

    private void BeginHandshake()
    {
        CancelRetry();
        AbandonAttempt();
        var requested = Grant?.ClientAddress ?? default;
        _attempt = new Attempt(this, new ClientHandshake(_options.Name, _options.Key, requested, _random));
        _attempt.Connect();
    }

    private void AbandonAttempt()
    {
        _attempt?.Finish();
        _attempt = null;
    }

    /// <param name="started">When the attempt began connecting (a <see cref="TimeProvider"/> timestamp).</param>
    private void OnEstablished(ClientHandshake handshake, long started)
    {
        var grant = handshake.Grant!;
        if (_options.Mtu is { } pathMtu && pathMtu < grant.Mtu)
            grant = grant with { Mtu = pathMtu }; // the path allows less than the server offers
        SizeBuffers(Math.Max(PacketBuffer.DefaultCapacity, grant.Mtu + 2 * WireFormat.Overhead));
        var old = Tunnel;
        var now = _time.GetTimestamp();
        Volatile.Write(ref _lastReceived, now);
        var endpoint = _server with { Port = grant.Port };
        var session = handshake.CreateSession(Session.Create, _options.KeyLog);
        if (old is not null && old.Endpoint == endpoint)
        {
            // a rekey: seal under the new keys at once, keep the old ones for what the server still seals under them
            Tunnel = new ActiveSession(session, endpoint, old.Session, long.MaxValue) { Mtu = grant.Mtu, Router = grant.ServerAddress, Ipv6 = grant.Ipv6 };
            old.Previous?.Dispose();
        }
        else
        {
            Tunnel = new ActiveSession(session, endpoint) { Mtu = grant.Mtu, Router = grant.ServerAddress, Ipv6 = grant.Ipv6 };
            old?.Session.Dispose();
            old?.Previous?.Dispose();
        }
        Volatile.Write(ref _rekeyWanted, 0);
        _addressIndex = 0;
        Grant = grant;
        Handshakes++;
        _lastHandshake = now;
        _retryDelay = _options.InitialRetryDelay;
        CancelRetry();
        // The server learns where we are from our first datagram.
        SendKeepalive(now);
        _tick?.Dispose();
        var period = grant.KeepaliveInterval / 2;
        _tick = _time.CreateTimer(_ => OnTick(), null, period, period);
        HandshakeCounts.Succeed(_time.GetElapsedTime(started, now), rekey: old is not null && old.Endpoint == endpoint);
        if (old is not null && old.Endpoint == endpoint)
            ClientLog.Rekeyed(_logger, _server, grant.SessionId);
        else
            ClientLog.Connected(_logger, _server, grant.ClientAddress, grant.PrefixLength, grant.ServerAddress, grant.Port, grant.Mtu, grant.SessionId);
        Connected?.Invoke(grant);
    }

    /// <summary>
    /// A handshake ended without a session. Only before the first session of this engine does an
    /// authentication refusal end the client (a wrong key is a clear error at the command line).
    /// Everything else, and every refusal once a session has been up, is unauthenticated and may be an
    /// attacker's: it is logged and retried with backoff, and a session still up stays up.
    /// </summary>
    private void OnFailed(HandshakeError error, RejectCode? rejectCode)
    {
        HandshakeCounts.Fail(error);
        if (Handshakes == 0 && error is HandshakeError.AuthenticationRejected or HandshakeError.ServerAuthFailed)
        {
            var message = error == HandshakeError.AuthenticationRejected
                ? $"the server {_server} refused client '{_options.Name}': unknown name or wrong key"
                : $"the server {_server} could not prove it holds client '{_options.Name}''s key";
            ClientLog.AuthenticationFailed(_logger, message);
            _gaveUp = true;
            AuthenticationFailed?.Invoke(message);
            return;
        }
        var refused = IsRefusal(error);
        // Busy asks the client to come back soon: it backs off as after a network failure.
        var delay = NextRetryDelay(refused && error != HandshakeError.Busy ? _options.MaxRefusalRetryDelay : _options.MaxRetryDelay);
        if (refused)
        {
            ClientLog.HandshakeRefused(_logger, _server, DescribeRefusal(error, rejectCode), delay);
        }
        else
        {
            ClientLog.HandshakeFailed(_logger, _server, error, delay);
            _addressIndex++; // no answer from this address: the next lookup's next address, if it has several
        }
        ScheduleRetry(delay);
    }

    /// <summary>
    /// The lookup of the server's name gave no address: retried with the backoff of a network failure, never
    /// an end (the name may come back). One line per cause per interval, with how many were left out.
    /// </summary>
    private void OnLookupFailed(ServerLookup lookup)
    {
        var delay = NextRetryDelay(_options.MaxRetryDelay);
        var error = lookup.Error ?? "no address";
        if (_lookupWarnings.ShouldLog(error, out var suppressed))
            ClientLog.LookupFailed(_logger, lookup.Name, error, delay, suppressed);
        ScheduleRetry(delay);
    }

    /// <summary>Under <see cref="_lock"/>: takes the server's address from a lookup (the next one after a network failure).</summary>
    private void UseLookup(ServerLookup lookup)
    {
        var next = lookup.Endpoints[_addressIndex % lookup.Endpoints.Count];
        if (next != _server)
            ClientLog.ServerFound(_logger, lookup.Name, next, lookup.Endpoints.Count);
        _server = next;
    }

    /// <summary>True when the next handshake looks the server up first: with a resolver, whenever no session is up (not for a rekey).</summary>
    private bool LookupFirst => _resolver is not null && Tunnel is null;

    /// <summary>The wait before the next retry (jittered, at most <paramref name="cap"/>); doubles the next one.</summary>
    private TimeSpan NextRetryDelay(TimeSpan cap)
    {
        var wait = _retryDelay < cap ? _retryDelay : cap;
        var delay = Jitter(wait);
        if (delay > cap)
            delay = cap;
        _retryDelay = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, cap.Ticks));
        return delay;
    }

    /// <summary>The control plane's side of a rekey request or a needed confirmation (<see cref="RekeyRequested"/>).</summary>
    private void OnControl()
    {
        lock (_lock)
        {
            if (_stopped || Tunnel is null)
                return;
            if (Interlocked.Exchange(ref _confirmWanted, 0) == 1)
                SendKeepalive(_time.GetTimestamp());
            if (Interlocked.Exchange(ref _rekeyWanted, 0) == 1 && _attempt is null)
            {
                ClientLog.Rekeying(_logger, _server, Tunnel.Session.Id);
                BeginHandshake();
            }
        }
    }

    /// <summary>Drops the previous keys once their grace is over (under <see cref="_lock"/>).</summary>
    private void ExpirePrevious(long now)
    {
        var tunnel = Tunnel;
        if (tunnel?.Previous is { } previous && now >= tunnel.PreviousUntil
            && Interlocked.CompareExchange(ref _tunnel, tunnel with { Previous = null, PreviousUntil = 0 }, tunnel) == tunnel)
            previous.Dispose();
    }

    /// <summary>
    /// True when the server's side of the stream ended the handshake (a Reject, a ServerAccept that
    /// does not open, bytes that are no valid server message); false for the network failing.
    /// </summary>
    private static bool IsRefusal(HandshakeError error) =>
        error is not (HandshakeError.Timeout or HandshakeError.ConnectionClosed or HandshakeError.Truncated);

    private static string DescribeRefusal(HandshakeError error, RejectCode? code) => code switch
    {
        { } c when Enum.IsDefined(c) => $"Reject {(byte)c} ({c})",
        { } c => $"Reject {(byte)c} (unknown code)",
        null when error == HandshakeError.ServerAuthFailed => "ServerAccept did not open (ServerAuthFailed)",
        _ => error.ToString(),
    };

    private void ScheduleRetry(TimeSpan delay)
    {
        CancelRetry();
        var generation = _retryGeneration;
        _retryTimer = _time.CreateTimer(_ => Retry(generation), null, delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Drops a pending retry; a timer callback already on its way sees the generation changed.</summary>
    private void CancelRetry()
    {
        _retryGeneration++;
        _retryTimer?.Dispose();
        _retryTimer = null;
    }

    private void Retry(int generation)
    {
        lock (_lock)
        {
            if (!_stopped && !_gaveUp && generation == _retryGeneration && _attempt is null)
                BeginHandshake();
        }
    }

    /// <summary>The delay, stretched or shrunk by up to a fifth so that clients do not retry in step.</summary>
    private TimeSpan Jitter(TimeSpan delay)
    {
        Span<byte> b = stackalloc byte[1];
        _random.Fill(b);
        return delay * (0.8 + 0.4 * b[0] / 255.0);
    }

    /// <summary>One handshake over one connection, with its deadline. Stale events of an abandoned attempt are ignored.</summary>
    private sealed class Attempt : IStreamHandler
    {
        private readonly VpnClient _client;
        private readonly ClientHandshake _handshake;
        private IStreamConnection? _connection;
        private ITimer? _deadline;
        private long _started;
        private bool _done;

        public Attempt(VpnClient client, ClientHandshake handshake)
        {
            _client = client;
            _handshake = handshake;
        }

        public void Connect()
        {
            _started = _client._time.GetTimestamp();
            _deadline = _client._time.CreateTimer(_ => OnTimeout(), null, _client._options.HandshakeTimeout, Timeout.InfiniteTimeSpan);
            if (_client.LookupFirst)
                _client._resolver!.Resolve(OnLookedUp);
            else
                _connection = _client._connector.Connect(_client._server, this);
        }

        private void OnLookedUp(ServerLookup lookup)
        {
            lock (_client._lock)
            {
                if (_done)
                    return;
                if (!lookup.Succeeded)
                {
                    Finish();
                    _client.OnLookupFailed(lookup);
                    return;
                }
                _client.UseLookup(lookup);
                _connection = _client._connector.Connect(_client._server, this);
            }
        }

        public void OnConnected()
        {
            lock (_client._lock)
            {
                if (!_done)
                    _connection!.Send(_handshake.Start());
            }
        }

        public void OnData(ReadOnlySpan<byte> data)
        {
            lock (_client._lock)
            {
                if (_done)
                    return;
                var step = _handshake.OnData(data);
                switch (step.Status)
                {
                    case HandshakeStatus.InProgress:
                        if (step.Reply is not null)
                            _connection!.Send(step.Reply);
                        break;
                    case HandshakeStatus.Established:
                        _client.OnEstablished(_handshake, _started);
                        Finish();
                        break;
                    default:
                        Finish();
                        _client.OnFailed(step.Error, _handshake.RejectCode);
                        break;
                }
            }
        }

        public void OnClosed()
        {
            lock (_client._lock)
            {
                if (_done)
                    return;
                var error = _handshake.OnClosed();
                Finish();
                _client.OnFailed(error == HandshakeError.None ? HandshakeError.ConnectionClosed : error, null);
            }
        }

        private void OnTimeout()
        {
            lock (_client._lock)
            {
                if (_done)
                    return;
                Finish();
                if (_client.LookupFirst && _connection is null)
                {
                    // the deadline passed while the name was still being looked up: a lookup that failed, not a
                    // server that did not answer (there is no address yet to name)
                    var waited = _client._options.HandshakeTimeout.TotalSeconds;
                    _client.OnLookupFailed(ServerLookup.Failed(_client._resolver!.Name, $"no answer from the resolver within {waited:0.#} s"));
                    return;
                }
                _client.OnFailed(HandshakeError.Timeout, null);
            }
        }

        public void Finish()
        {
            if (_done)
                return;
            _done = true;
            _deadline?.Dispose();
            _connection?.Close();
            _handshake.Dispose();
            if (_client._attempt == this)
                _client._attempt = null;
        }
    }
}

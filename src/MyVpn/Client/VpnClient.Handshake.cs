using MyVpn.Io;
using MyVpn.Protocol;

namespace MyVpn.Client;

public sealed partial class VpnClient
{
    private Attempt? _attempt;
    private ITimer? _retryTimer;
    private TimeSpan _retryDelay;

    private void BeginHandshake()
    {
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

    private void OnEstablished(ClientHandshake handshake)
    {
        var grant = handshake.Grant!;
        SizeBuffers(Math.Max(PacketPool.DefaultCapacity, grant.Mtu + 2 * WireFormat.Overhead));
        var old = Tunnel;
        var now = _time.GetTimestamp();
        Volatile.Write(ref _lastReceived, now);
        var endpoint = _options.Server with { Port = grant.Port };
        var session = handshake.CreateSession(_options.KeyLog);
        if (old is not null && old.Endpoint == endpoint)
        {
            // a rekey: seal under the new keys at once, keep the old ones for what the server still seals under them
            Tunnel = new ActiveSession(session, endpoint, old.Session, long.MaxValue);
            old.Previous?.Dispose();
        }
        else
        {
            Tunnel = new ActiveSession(session, endpoint);
            old?.Session.Dispose();
            old?.Previous?.Dispose();
        }
        Volatile.Write(ref _rekeyWanted, 0);
        Grant = grant;
        Handshakes++;
        _retryDelay = _options.InitialRetryDelay;
        // The server learns where we are from our first datagram.
        SendKeepalive(now);
        _tick?.Dispose();
        var period = grant.KeepaliveInterval / 2;
        _tick = _time.CreateTimer(_ => OnTick(), null, period, period);
        if (old is not null && old.Endpoint == endpoint)
            ClientLog.Rekeyed(_logger, _options.Server, grant.SessionId);
        else
            ClientLog.Connected(_logger, _options.Server, grant.ClientAddress, grant.PrefixLength, grant.ServerAddress, grant.Port, grant.Mtu, grant.SessionId);
        Connected?.Invoke(grant);
    }

    private void OnFailed(HandshakeError error)
    {
        if (Tunnel is not null)
        {
            // a rekey attempt: the session stays up, and the server asks again on its next tick
            ClientLog.RekeyFailed(_logger, _options.Server, error);
            return;
        }
        if (error is HandshakeError.AuthenticationRejected or HandshakeError.ServerAuthFailed)
        {
            var message = error == HandshakeError.AuthenticationRejected
                ? $"the server {_options.Server} refused client '{_options.Name}': unknown name or wrong key"
                : $"the server {_options.Server} could not prove it holds client '{_options.Name}''s key";
            ClientLog.AuthenticationFailed(_logger, message);
            _gaveUp = true;
            AuthenticationFailed?.Invoke(message);
            return;
        }
        var delay = Jitter(_retryDelay);
        ClientLog.HandshakeFailed(_logger, _options.Server, error, delay);
        _retryDelay = TimeSpan.FromTicks(Math.Min(_retryDelay.Ticks * 2, _options.MaxRetryDelay.Ticks));
        _retryTimer?.Dispose();
        _retryTimer = _time.CreateTimer(_ => Retry(), null, delay, Timeout.InfiniteTimeSpan);
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
                ClientLog.Rekeying(_logger, _options.Server, Tunnel.Session.Id);
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

    private void Retry()
    {
        lock (_lock)
        {
            if (!_stopped && !_gaveUp && Tunnel is null)
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
        private bool _done;

        public Attempt(VpnClient client, ClientHandshake handshake)
        {
            _client = client;
            _handshake = handshake;
        }

        public void Connect()
        {
            _deadline = _client._time.CreateTimer(_ => OnTimeout(), null, _client._options.HandshakeTimeout, Timeout.InfiniteTimeSpan);
            _connection = _client._connector.Connect(_client._options.Server, this);
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
                        _client.OnEstablished(_handshake);
                        Finish();
                        break;
                    default:
                        Finish();
                        _client.OnFailed(step.Error);
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
                _client.OnFailed(error == HandshakeError.None ? HandshakeError.ConnectionClosed : error);
            }
        }

        private void OnTimeout()
        {
            lock (_client._lock)
            {
                if (_done)
                    return;
                Finish();
                _client.OnFailed(HandshakeError.Timeout);
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

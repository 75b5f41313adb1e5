using MyVpn.Io;
using MyVpn.Diagnostics;
using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Server;

public sealed partial class VpnServer
{
    /// <summary>
    /// One handshake in flight: its state machine, its connection and its deadline (first the short one
    /// for the ClientHello, then the whole handshake's). Its events run under its own lock, in order.
    /// </summary>
    private sealed class HandshakeConnection : IStreamHandler
    {
        private readonly Lock _gate = new();
        private readonly VpnServer _server;
        private readonly IStreamConnection _connection;
        private readonly SourceState _source;
        private readonly ServerHandshake _handshake;
        private readonly long _started;
        private readonly ITimer _deadline;
        private byte[]? _provedKey;
        private bool _helloSeen;
        private bool _done;

        public HandshakeConnection(VpnServer server, IStreamConnection connection, SourceState source)
        {
            _server = server;
            _connection = connection;
            _source = source;
            _handshake = new ServerHandshake(name => _provedKey = server.KeyFor(name), server._random);
            _started = server._time.GetTimestamp();
            var first = server._options.FirstMessageTimeout < server._options.HandshakeTimeout
                ? server._options.FirstMessageTimeout
                : server._options.HandshakeTimeout;
            _deadline = server._time.CreateTimer(_ => OnTimeout(), null, first, Timeout.InfiniteTimeSpan);
        }

        public void OnConnected() { }

        public void OnData(ReadOnlySpan<byte> data)
        {
            lock (_gate)
            {
                if (_done)
                    return;
                if (!_server.TryEnterCrypto())
                {
                    Refuse(HandshakeRefusal.CryptoBusy);
                    return;
                }
                HandshakeStep step;
                try
                {
                    step = _handshake.OnData(data);
                }
                finally
                {
                    _server.ExitCrypto();
                }
                if (step.Reply is not null && step.Status != HandshakeStatus.Failed)
                {
                    _connection.Send(step.Reply);
                    if (!_helloSeen)
                        OnHelloAnswered();
                }
                if (step.Status == HandshakeStatus.Failed)
                {
                    Fail(step.Error);
                }
                else if (step.Status == HandshakeStatus.Authenticated)
                {
                    HandshakeError error;
                    byte[] accept = [];
                    bool rekey;
                    _server.AuthenticatedForTests?.Invoke(_handshake.ClientName!);
                    lock (_server._lock)
                    {
                        rekey = _server._byName.ContainsKey(_handshake.ClientName!);
                        error = _server._disposed ? HandshakeError.ConnectionClosed : _server.TryGrant(_handshake, _provedKey, _connection.RemoteEndpoint, out accept);
                    }
                    if (error != HandshakeError.None)
                    {
                        Fail(error);
                        return;
                    }
                    // from accepting the connection to the grant
                    _server.HandshakeCounts.Succeed(_server._time.GetElapsedTime(_started), rekey);
                    _connection.Send(accept);
                    Finish();
                }
            }
        }

        /// <summary>The ClientHello is in: from now on only the whole handshake's deadline applies.</summary>
        private void OnHelloAnswered()
        {
            _helloSeen = true;
            var remaining = _server._options.HandshakeTimeout - _server._time.GetElapsedTime(_started);
            _deadline.Change(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }

        public void OnClosed()
        {
            lock (_gate)
            {
                if (!_done)
                    Fail(_handshake.OnClosed() is var e && e != HandshakeError.None ? e : HandshakeError.ConnectionClosed, sendReject: false);
            }
        }

        private void OnTimeout()
        {
            lock (_gate)
            {
                if (!_done)
                    Fail(HandshakeError.Timeout);
            }
        }

        /// <summary>The server is shutting down.</summary>
        public void Abort()
        {
            lock (_gate)
            {
                if (!_done)
                    Finish();
            }
        }

        private void Fail(HandshakeError error, bool sendReject = true)
        {
            _server.HandshakeFailures.Add(error);
            if (_server._failureLog.ShouldLog(error, out var suppressed))
                ServerLog.HandshakeFailed(_server._logger, _connection.RemoteEndpoint, error, _handshake.ClaimedName,
                    suppressed, _server._options.WarningInterval);
            if (sendReject)
                _connection.Send(ServerHandshake.RejectFrame(ServerHandshake.RejectCodeFor(error)));
            Finish();
        }

        private void Refuse(HandshakeRefusal refusal)
        {
            _server.Refuse(_connection, refusal);
            Finish();
        }

        private void Finish()
        {
            _done = true;
            _deadline.Dispose();
            _handshake.Dispose();
            _connection.Close();
            _server.Forget(this, _source);
        }
    }
}

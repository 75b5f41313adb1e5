using MyVpn.Io;
using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Server;

public sealed partial class VpnServer
{
    private readonly List<HandshakeConnection> _handshakes = [];

    /// <summary>The host calls this for each accepted handshake connection.</summary>
    public IStreamHandler Accept(IStreamConnection connection)
    {
        lock (_lock)
        {
            if (_disposed || _handshakes.Count >= _options.MaxPendingHandshakes)
            {
                if (!_disposed)
                    ServerLog.TooManyHandshakes(_logger, connection.RemoteEndpoint, _handshakes.Count);
                connection.Send(ServerHandshake.RejectFrame(RejectCode.Busy));
                connection.Close();
                return ClosedHandler.Instance;
            }
            var handshake = new HandshakeConnection(this, connection);
            _handshakes.Add(handshake);
            return handshake;
        }
    }

    /// <summary>Gives an authenticated client its session; returns the error if none can be had.</summary>
    private HandshakeError TryGrant(ServerHandshake handshake, UdpEndpoint remote, out byte[] acceptFrame)
    {
        acceptFrame = [];
        var name = handshake.ClientName!;
        _clients.TryGetValue(name, out var entry);
        if (entry is null && SharedKeySessionsExcept(name) >= _options.MaxSharedKeySessions)
            return HandshakeError.SessionLimit;
        var preferred = handshake.RequestedAddress;
        if (_byName.TryGetValue(name, out var old))
        {
            ServerLog.SessionReplaced(_logger, name, old.Port);
            if (preferred == default)
                preferred = old.Address;
            RemoveSession(old);
        }

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
            0, _options.Mtu, _options.KeepaliveInterval);
        ServerSession? session = null;
        while (_ports.TryAllocate(out var port))
        {
            grant = grant with { Port = port };
            IDatagramTransport transport;
            try
            {
                var bound = new SessionSlot();
                transport = _binder.Bind(port, _ => OnSessionReadable(bound.Session));
                var (frame, crypto) = handshake.Accept(grant, _options.KeyLog);
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
        return HandshakeError.None;
    }

    /// <summary>Sessions of shared-key clients (names not configured), not counting <paramref name="name"/>'s own, which a new handshake replaces.</summary>
    private int SharedKeySessionsExcept(string name)
    {
        var count = 0;
        foreach (var session in _sessions)
            if (!_clients.ContainsKey(session.Name) && session.Name != name)
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
            if (id != 0 && _sessions.TrueForAll(s => s.Grant.SessionId != id))
                return id;
        }
    }

    /// <summary>One handshake in flight: its state machine, its connection and its deadline.</summary>
    private sealed class HandshakeConnection : IStreamHandler
    {
        private readonly VpnServer _server;
        private readonly IStreamConnection _connection;
        private readonly ServerHandshake _handshake;
        private readonly ITimer _deadline;
        private bool _done;

        public HandshakeConnection(VpnServer server, IStreamConnection connection)
        {
            _server = server;
            _connection = connection;
            _handshake = new ServerHandshake(server.KeyFor, server._random);
            _deadline = server._time.CreateTimer(_ => OnTimeout(), null, server._options.HandshakeTimeout, Timeout.InfiniteTimeSpan);
        }

        public void OnConnected() { }

        public void OnData(ReadOnlySpan<byte> data)
        {
            lock (_server._lock)
            {
                if (_done)
                    return;
                var step = _handshake.OnData(data);
                if (step.Reply is not null && step.Status != HandshakeStatus.Failed)
                    _connection.Send(step.Reply);
                if (step.Status == HandshakeStatus.Failed)
                {
                    Fail(step.Error);
                }
                else if (step.Status == HandshakeStatus.Authenticated)
                {
                    var error = _server.TryGrant(_handshake, _connection.RemoteEndpoint, out var accept);
                    if (error != HandshakeError.None)
                    {
                        Fail(error);
                        return;
                    }
                    _connection.Send(accept);
                    Finish();
                }
            }
        }

        public void OnClosed()
        {
            lock (_server._lock)
            {
                if (!_done)
                    Fail(_handshake.OnClosed() is var e && e != HandshakeError.None ? e : HandshakeError.ConnectionClosed, sendReject: false);
            }
        }

        private void OnTimeout()
        {
            lock (_server._lock)
            {
                if (!_done)
                    Fail(HandshakeError.Timeout);
            }
        }

        /// <summary>The server is shutting down.</summary>
        public void Abort()
        {
            if (!_done)
                Finish();
        }

        private void Fail(HandshakeError error, bool sendReject = true)
        {
            ServerLog.HandshakeFailed(_server._logger, _connection.RemoteEndpoint, error, _handshake.ClaimedName);
            _server.HandshakeFailures.Add(error);
            if (sendReject)
                _connection.Send(ServerHandshake.RejectFrame(ServerHandshake.RejectCodeFor(error)));
            Finish();
        }

        private void Finish()
        {
            _done = true;
            _deadline.Dispose();
            _handshake.Dispose();
            _connection.Close();
            _server._handshakes.Remove(this);
        }
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

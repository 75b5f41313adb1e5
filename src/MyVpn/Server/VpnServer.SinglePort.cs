using System.Buffers.Binary;
using MyVpn.Io;
using MyVpn.Protocol;
using MyVpn.Tunnel;

namespace MyVpn.Server;

/// <remarks>
/// One-port mode (<see cref="VpnServerOptions.SinglePort"/>): one socket, bound when the engine starts,
/// carries every session. Each session's <see cref="ServerSession.Transport"/> is that socket (sends go out
/// of it to the session's endpoint) and every grant names its port. Its one reader thread looks each
/// datagram's session id up in <see cref="_ids"/> and opens it under that session's keys, exactly as a
/// session's own socket would (<see cref="OpenFromClient"/>): a datagram that does not open is a counted
/// drop and changes nothing, so the port and the source endpoint are never authentication, and roaming
/// follows the same rule as on a session's own port. Being the only reader of every session's datagrams,
/// it opens them without the sessions' receive locks.
/// </remarks>
public sealed partial class VpnServer
{
    private readonly SessionIdIndex _ids = new();
    private IDatagramTransport? _shared;

    /// <summary>True in one-port mode.</summary>
    private bool SinglePort => _options.SinglePort != 0;

    /// <summary>Binds the shared socket (one-port mode; in the constructor, last: its callback may run at once).</summary>
    private void BindSharedPort()
    {
        if (SinglePort)
            Volatile.Write(ref _shared, _binder.Bind(_options.SinglePort, OnSharedReadable));
    }

    /// <summary>A new session on the shared socket: the handshake's grant names the shared port.</summary>
    private ServerSession SharedPortSession(ServerHandshake handshake, string name, ref SessionGrant grant, out byte[] acceptFrame)
    {
        grant = grant with { Port = _options.SinglePort };
        var (frame, crypto) = handshake.Accept(grant, Session.Create, _options.KeyLog);
        acceptFrame = frame;
        return new ServerSession(name, grant, crypto, _time.GetTimestamp()) { Transport = _shared, SharesTransport = true };
    }

    /// <summary>The shared socket has datagrams: receives them all, each routed by its session id.</summary>
    private void OnSharedReadable(IDatagramTransport shared)
    {
        if (_disposed)
            return;
        var scratch = _receiveScratch.Rent();
        bool wroteToTun;
        try
        {
            wroteToTun = ReceiveShared(shared, scratch);
        }
        finally
        {
            _receiveScratch.Return(scratch);
        }
        if (wroteToTun)
            DrainTunIfIdle();
    }

    /// <summary>Receives until the shared socket is empty; true when anything was written to tun.</summary>
    private bool ReceiveShared(IDatagramTransport shared, DataPathScratch scratch)
    {
        var batch = scratch.Batch;
        var wroteToTun = false;
        int count;
        while (!_disposed && (count = DataPath.Receive(shared, scratch)) > 0)
        {
            var now = _time.GetTimestamp();
            var toTun = 0;
            try
            {
                for (var i = 0; i < count; i++)
                {
                    if (OpenShared(batch[i], now, scratch.Outgoing))
                        scratch.ToTun[toTun++] = batch[i];
                }
            }
            finally
            {
                Drops.Add(scratch.Outgoing.Flush());
            }
            if (toTun > 0)
            {
                DataPath.WriteTun(_tun, scratch.ToTun.AsSpan(0, toTun), Drops);
                wroteToTun = true;
            }
        }
        return wroteToTun;
    }

    /// <summary>Finds the datagram's session by its id, then opens and routes it as that session's own socket would.</summary>
    private bool OpenShared(PacketBuffer datagram, long now, OutgoingDatagrams outgoing)
    {
        var span = datagram.Span;
        if (span.Length < WireFormat.Overhead)
        {
            Drops.Add(DropReason.DatagramTooShort);
            return false;
        }
        if (!_ids.TryGet(BinaryPrimitives.ReadUInt32BigEndian(span), out var session))
        {
            Drops.Add(DropReason.NoSession);
            return false;
        }
        var received = new TrafficTally();
        var toTun = OpenFromClient(session, datagram, now, outgoing, ref received);
        session.AddReceived(received);
        return toTun;
    }
}

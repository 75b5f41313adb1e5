using System.Buffers.Binary;
using MyVpn.Io;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Tunnel;

namespace MyVpn.Server;

public sealed partial class VpnServer
{
    private readonly Action<PacketBuffer, long> _forwardFromTun;

    /// <summary>
    /// The host calls this when the tun device has packets to read (from one thread at a time; the
    /// tun lock only makes a second caller wait). Runs in parallel with the socket callbacks.
    /// </summary>
    public void OnTunReadable()
    {
        lock (_tunLock)
            DrainTun();
    }

    private void DrainTun()
    {
        if (!_disposed)
            DataPath.DrainTun(_tun, _tunScratch, _time, _forwardFromTun, Drops);
    }

    private Action? _drainTun;

    /// <summary>
    /// Called by a socket callback right after it wrote to tun: the kernel answers packets for the server's
    /// own addresses (a ping of 10.0.0.1, a TCP ACK) inside that write, so the answer is already waiting.
    /// If the tun direction is idle this thread, still running, reads and sends it at once rather than
    /// leaving it to the tun thread, which sleeps on another CPU and would first have to be woken (about
    /// 0.1 ms of ping on a 2-vCPU VM; docs/threading.md). If the tun direction is busy,
    /// its thread is awake and will find the answer itself. Never waits for the lock.
    /// </summary>
    private void DrainTunIfIdle() => DataPath.RunIfIdle(_tunLock, _drainTun ??= DrainTun);

    private void ForwardFromTun(PacketBuffer packet, long now)
    {
        var route = _router.FromTun(packet.Span);
        if (route.Kind == RouteKind.Drop)
        {
            Drops.Add(route.Reason);
            return;
        }
        if (!Volatile.Read(ref _table).TryGet(route.Destination.Value, out var target) || !target.HasEndpoint
            || !target.Carries(packet.Span))
        {
            Drops.Add(DropReason.NoSuchClient);
            return;
        }
        var mtu = target.Grant.Mtu;
        if (packet.Length > mtu && IcmpTooBig.DontFragment(packet.Span))
        {
            AnswerTooBigFromTun(packet, target, mtu, now);
            return;
        }
        TcpMss.Clamp(packet.Span, mtu);
        packet.Offset -= WireFormat.IvLength;
        SealAndQueue(packet, packet.Length, target, now, _tunScratch.Outgoing, relayed: false);
    }

    /// <summary>
    /// A packet from tun too big for the client it is for: the answer (if any) goes back into tun, to its sender.
    /// It comes from the client's address, not the server's: the kernel drops a packet arriving with a source
    /// address of its own (a martian), which would silence the answer to the server's own sockets and, after
    /// NAT, to the internet.
    /// </summary>
    private void AnswerTooBigFromTun(PacketBuffer packet, ServerSession target, int mtu, long now)
    {
        var reason = _tooBig.Answer(packet, mtu, target.Grant.ClientAddress, now);
        Drop(target, reason);
        if (reason == DropReason.PacketTooBig)
            DataPath.WriteTun(_tun, new ReadOnlySpan<PacketBuffer>(ref packet), Drops);
    }

    /// <summary>
    /// A packet from <paramref name="session"/>'s client too big for the client it is for (<paramref name="mtu"/>):
    /// the answer (if any) is sealed back to the sender, as a router on the path would send it.
    /// </summary>
    private void AnswerTooBigToClient(ServerSession session, PacketBuffer datagram, int innerLength, int mtu, long now, OutgoingDatagrams outgoing)
    {
        datagram.Offset += WireFormat.IvLength;
        datagram.Length = innerLength;
        var reason = _tooBig.Answer(datagram, mtu, _options.EffectiveServerAddress, now);
        Drop(session, reason);
        datagram.Offset -= WireFormat.IvLength;
        if (reason == DropReason.PacketTooBig)
            SealAndQueue(datagram, datagram.Length, session, now, outgoing, relayed: false);
    }

    /// <summary>
    /// Seals the inner packet at <c>Data[Offset + 16 ..]</c> in place and queues it for the session's
    /// client; the batch goes out (one send per session port) when the caller flushes <paramref name="outgoing"/>.
    /// <paramref name="relayed"/>: from another client (a socket thread), else from tun (under the tun lock).
    /// </summary>
    private void SealAndQueue(PacketBuffer packet, int innerLength, ServerSession target, long now, OutgoingDatagrams outgoing, bool relayed)
    {
        if (!DataPath.Seal(target.Crypto, packet, innerLength, target.Endpoint))
        {
            Drop(target, DataPath.SealFailure(target.Crypto));
            return;
        }
        outgoing.Add(packet, target.Transport!);
        target.LastSent = now;
        if (relayed)
            target.CountRelayed(innerLength);
        else
            target.CountSentFromTun(innerLength);
    }

    /// <summary>Counts a drop the session is known for: engine-wide and the session's own.</summary>
    private void Drop(ServerSession session, DropReason reason)
    {
        Drops.Add(reason);
        session.Drops.Add(reason);
    }

    /// <summary>
    /// Datagrams are waiting on a session's port. The host calls this from the socket's own thread
    /// (never twice at once for one socket); different sessions run in parallel, each with scratch of
    /// its own, and in parallel with <see cref="OnTunReadable"/>.
    /// </summary>
    private void OnSessionReadable(ServerSession? session)
    {
        // null: a datagram on a port whose session is still being created (it is read once it is)
        if (session is null || _disposed || session.IsClosed)
            return;
        var scratch = _receiveScratch.Rent();
        bool wroteToTun;
        try
        {
            lock (session.ReceiveLock)
                wroteToTun = ReceiveAll(session, scratch);
        }
        finally
        {
            _receiveScratch.Return(scratch);
        }
        if (wroteToTun)
            DrainTunIfIdle();
    }

    /// <summary>Receives until the socket is empty; true when anything was written to tun.</summary>
    private bool ReceiveAll(ServerSession session, DataPathScratch scratch)
    {
        var batch = scratch.Batch;
        var wroteToTun = false;
        int count;
        while (!session.IsClosed && (count = DataPath.Receive(session.Transport!, scratch)) > 0)
        {
            var now = _time.GetTimestamp();
            var toTun = 0;
            var received = new TrafficTally();
            try
            {
                for (var i = 0; i < count; i++)
                {
                    if (OpenFromClient(session, batch[i], now, scratch.Outgoing, ref received))
                        scratch.ToTun[toTun++] = batch[i];
                }
            }
            finally
            {
                Drops.Add(scratch.Outgoing.Flush()); // datagrams for other clients, re-sealed in place
                session.AddReceived(received);
            }
            if (toTun > 0)
            {
                DataPath.WriteTun(_tun, scratch.ToTun.AsSpan(0, toTun), Drops);
                wroteToTun = true;
            }
        }
        return wroteToTun;
    }

    /// <summary>Opens one datagram and routes it; returns true when it is to be written to tun (already trimmed).</summary>
    private bool OpenFromClient(ServerSession session, PacketBuffer datagram, long now, OutgoingDatagrams outgoing, ref TrafficTally received)
    {
        // the datagram's session id picks the keys: current, next (a rekey) or previous (in its grace);
        // an unknown id (or a datagram too short to carry one) gets the current keys, which name the drop
        var keys = session.Keys;
        var span = datagram.Span;
        var crypto = span.Length >= WireFormat.Overhead
            ? keys.Find(BinaryPrimitives.ReadUInt32BigEndian(span), now) ?? keys.Current
            : keys.Current;
        if (!crypto.TryOpen(span, out var innerLength, out var reason, out var advanced))
        {
            Drop(session, reason);
            return false;
        }
        Opened?.Invoke(session.Name, crypto.Id);
        if (crypto == keys.Next)
            session.Promote(crypto, now + _grace); // key confirmation: the client has the new keys
        session.LastReceived = now;
        var from = datagram.Endpoint;
        var known = session.Endpoint;
        // Roaming: only a counter above all seen under the keys the client now seals with moves the endpoint,
        // never a duplicate, a withheld-then-replayed older datagram or one under the previous keys.
        if (from != known && advanced && crypto != keys.Previous)
        {
            if (known.Port != 0)
                ServerLog.ClientRoamed(_logger, session.Name, known, from);
            session.Endpoint = from;
        }
        if (innerLength == 0)
            return false;

        var inner = datagram.Data.AsSpan(datagram.Offset + WireFormat.IvLength, innerLength);
        var route = _router.FromClient(inner, session.Address, session.Grant.Ipv6 is not null);
        switch (route.Kind)
        {
            case RouteKind.ToTun:
                TcpMss.Clamp(inner, session.Grant.Mtu);
                datagram.Offset += WireFormat.IvLength;
                datagram.Length = innerLength;
                received.Add(innerLength);
                return true;
            case RouteKind.ToClient when Volatile.Read(ref _table).TryGet(route.Destination.Value, out var target) && target.HasEndpoint
                && target.Carries(inner):
                received.Add(innerLength);
                var mtu = target.Grant.Mtu;
                if (innerLength > mtu && IcmpTooBig.DontFragment(inner))
                {
                    AnswerTooBigToClient(session, datagram, innerLength, mtu, now, outgoing);
                    return false;
                }
                TcpMss.Clamp(inner, Math.Min(mtu, session.Grant.Mtu));
                SealAndQueue(datagram, innerLength, target, now, outgoing, relayed: true);
                return false;
            case RouteKind.ToClient:
                Drop(session, DropReason.NoSuchClient);
                return false;
            default:
                Drop(session, route.Reason);
                return false;
        }
    }
}

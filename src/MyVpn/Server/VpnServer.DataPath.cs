using MyVpn.Io;
using MyVpn.Protocol;
using MyVpn.Tunnel;

namespace MyVpn.Server;

public sealed partial class VpnServer
{
    private Action<PacketBuffer, long>? _forwardFromTun;

    /// <summary>The host calls this when the tun device has packets to read.</summary>
    public void OnTunReadable()
    {
        lock (_lock)
        {
            if (!_disposed)
                DataPath.DrainTun(_tun, _batch, _outgoing, _time, _forwardFromTun ??= ForwardFromTun);
        }
    }

    private void ForwardFromTun(PacketBuffer packet, long now)
    {
        var route = _router.FromTun(packet.Span);
        if (route.Kind == RouteKind.Drop)
        {
            Drops.Add(route.Reason);
            return;
        }
        if (!_byAddress.TryGetValue(route.Destination.Value, out var target) || !target.HasEndpoint)
        {
            Drops.Add(DropReason.NoSuchClient);
            return;
        }
        packet.Offset -= WireFormat.IvLength;
        SealAndQueue(packet, packet.Length, target, now);
    }

    /// <summary>
    /// Seals the inner packet at <c>Data[Offset + 16 ..]</c> in place and queues it for the session's
    /// client; the batch goes out (one send per session port) when the caller flushes <see cref="_outgoing"/>.
    /// </summary>
    private void SealAndQueue(PacketBuffer packet, int innerLength, ServerSession target, long now)
    {
        if (!DataPath.Seal(target.Crypto, packet, innerLength, target.Endpoint))
        {
            Drops.Add(DropReason.CounterExhausted);
            return;
        }
        _outgoing.Add(packet, target.Transport!);
        target.LastSent = now;
    }

    /// <summary>Datagrams are waiting on a session's port.</summary>
    private void OnSessionReadable(ServerSession session)
    {
        lock (_lock)
        {
            if (_disposed || !_byPort.TryGetValue(session.Port, out var current) || current != session)
                return;
            int count;
            while ((count = ReceiveOn(session)) > 0)
            {
                var now = _time.GetTimestamp();
                var toTun = 0;
                try
                {
                    for (var i = 0; i < count; i++)
                    {
                        if (OpenFromClient(session, _batch[i], now))
                            _toTun[toTun++] = _batch[i];
                    }
                }
                finally
                {
                    _outgoing.Flush(); // datagrams for other clients, re-sealed in place
                }
                if (toTun > 0)
                    _tun.Write(_toTun.AsSpan(0, toTun));
                if (!_byPort.ContainsKey(session.Port))
                    return;
            }
        }
    }

    private int ReceiveOn(ServerSession session)
    {
        DataPath.PrepareForReceive(_batch);
        return session.Transport!.Receive(_batch);
    }

    /// <summary>Opens one datagram and routes it; returns true when it is to be written to tun (already trimmed).</summary>
    private bool OpenFromClient(ServerSession session, PacketBuffer datagram, long now)
    {
        if (!session.Crypto.TryOpen(datagram.Span, out var innerLength, out var reason))
        {
            Drops.Add(reason);
            return false;
        }
        session.LastReceived = now;
        if (datagram.Endpoint != session.Endpoint)
        {
            if (session.HasEndpoint)
                ServerLog.ClientRoamed(_logger, session.Name, session.Endpoint, datagram.Endpoint);
            session.Endpoint = datagram.Endpoint;
        }
        if (innerLength == 0)
            return false;

        var inner = datagram.Data.AsSpan(datagram.Offset + WireFormat.IvLength, innerLength);
        var route = _router.FromClient(inner, session.Address);
        switch (route.Kind)
        {
            case RouteKind.ToTun:
                datagram.Offset += WireFormat.IvLength;
                datagram.Length = innerLength;
                return true;
            case RouteKind.ToClient when _byAddress.TryGetValue(route.Destination.Value, out var target) && target.HasEndpoint:
                SealAndQueue(datagram, innerLength, target, now);
                return false;
            case RouteKind.ToClient:
                Drops.Add(DropReason.NoSuchClient);
                return false;
            default:
                Drops.Add(route.Reason);
                return false;
        }
    }
}

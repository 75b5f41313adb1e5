using MyVpn.Io;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Tunnel;

namespace MyVpn.Client;

public sealed partial class VpnClient
{
    private Action<PacketBuffer, long>? _sealForServer;

    /// <summary>The host calls this when the tun device has packets to read.</summary>
    public void OnTunReadable()
    {
        lock (_lock)
        {
            if (!_stopped)
                DataPath.DrainTun(_tun, _batch, _outgoing, _time, _sealForServer ??= SealForServer);
        }
    }

    /// <summary>Seals a tun packet in place and queues it; the batch goes out in one send when <see cref="_outgoing"/> is flushed.</summary>
    private void SealForServer(PacketBuffer packet, long now)
    {
        if (_session is null)
        {
            Drops.Add(DropReason.NotConnected);
            return;
        }
        if (IPv4Header.VersionOf(packet.Span) != 4)
        {
            Drops.Add(DropReason.NotIPv4);
            return;
        }
        packet.Offset -= WireFormat.IvLength;
        if (!DataPath.Seal(_session, packet, packet.Length, _dataEndpoint))
        {
            Drops.Add(DropReason.CounterExhausted);
            return;
        }
        _outgoing.Add(packet, _transport!);
        _lastSent = now;
    }

    private void OnDatagramsReadable()
    {
        lock (_lock)
        {
            if (_stopped || _transport is null)
                return;
            int count;
            while ((count = Receive()) > 0)
            {
                var now = _time.GetTimestamp();
                var toTun = 0;
                for (var i = 0; i < count; i++)
                {
                    if (OpenFromServer(_batch[i], now))
                        _toTun[toTun++] = _batch[i];
                }
                if (toTun > 0)
                    _tun.Write(_toTun.AsSpan(0, toTun));
            }
        }
    }

    private int Receive()
    {
        DataPath.PrepareForReceive(_batch);
        return _transport!.Receive(_batch);
    }

    /// <summary>Opens one datagram; true when it holds a packet for tun (already trimmed).</summary>
    private bool OpenFromServer(PacketBuffer datagram, long now)
    {
        if (_session is null)
        {
            Drops.Add(DropReason.NoSession);
            return false;
        }
        if (!_session.TryOpen(datagram.Span, out var innerLength, out var reason))
        {
            Drops.Add(reason);
            return false;
        }
        _lastReceived = now;
        if (innerLength == 0)
            return false;
        datagram.Offset += WireFormat.IvLength;
        datagram.Length = innerLength;
        if (!IPv4Header.TryReadAddresses(datagram.Span, out _, out _))
        {
            Drops.Add(DropReason.MalformedInnerPacket);
            return false;
        }
        return true;
    }
}

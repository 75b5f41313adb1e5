using System.Buffers.Binary;
using MyVpn.Io;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Tunnel;

namespace MyVpn.Client;

public sealed partial class VpnClient
{
    private readonly Action<PacketBuffer, long> _sealForServer;

    /// <summary>
    /// The host calls this when the tun device has packets to read. Runs in parallel with the socket
    /// callback; the tun lock only makes a second tun caller wait.
    /// </summary>
    public void OnTunReadable()
    {
        lock (_tunLock)
            DrainTun();
    }

    private void DrainTun()
    {
        if (!_stopped && ScratchFor(ref _tunScratch) is { } scratch)
            DataPath.DrainTun(_tun, scratch, _time, _sealForServer, Drops);
    }

    /// <summary>
    /// Called by the socket callback right after it wrote to tun: what the kernel answered inside that
    /// write (TCP ACKs for the data just delivered) is read and sent by this still-running thread when the
    /// tun direction is idle, instead of waking the tun thread on another CPU for it. Never waits for the
    /// lock: a busy tun thread is awake and finds the answer itself.
    /// </summary>
    private void DrainTunIfIdle() => DataPath.RunIfIdle(_tunLock, _drainTun ??= DrainTun);

    private Action? _drainTun;

    /// <summary>Seals a tun packet in place and queues it; the batch goes out in one send when the tun scratch is flushed.</summary>
    private void SealForServer(PacketBuffer packet, long now)
    {
        var tunnel = Tunnel;
        if (tunnel is null)
        {
            Drops.Add(DropReason.NotConnected);
            return;
        }
        if (!IsOwnPacket(packet.Span, tunnel.Ipv6, out var reason))
        {
            Drops.Add(reason);
            return;
        }
        if (packet.Length > tunnel.Mtu && IcmpTooBig.DontFragment(packet.Span))
        {
            AnswerTooBig(packet, tunnel, now);
            return;
        }
        TcpMss.Clamp(packet.Span, tunnel.Mtu);
        packet.Offset -= WireFormat.IvLength;
        var innerLength = packet.Length;
        if (!DataPath.Seal(tunnel.Session, packet, innerLength, tunnel.Endpoint))
        {
            Drops.Add(DataPath.SealFailure(tunnel.Session));
            return;
        }
        _tunScratch!.Outgoing.Add(packet, _transport!);
        Volatile.Write(ref _lastSent, now);
        // the one writer: the tun direction, under _tunLock
        Volatile.Write(ref _txPackets, _txPackets + 1);
        Volatile.Write(ref _txBytes, _txBytes + innerLength);
    }

    /// <summary>A tun packet too big for the tunnel: the answer (if any) goes back into tun, to its sender.</summary>
    private void AnswerTooBig(PacketBuffer packet, ActiveSession tunnel, long now)
    {
        var reason = _tooBig.Answer(packet, tunnel.Mtu, tunnel.Router, now);
        Drops.Add(reason);
        if (reason == DropReason.PacketTooBig)
            DataPath.WriteTun(_tun, new ReadOnlySpan<PacketBuffer>(ref packet), Drops);
    }

    /// <summary>
    /// Whether a packet from tun may go to the server: any IPv4 packet (the server checks its source), and an
    /// IPv6 one when the session has IPv6 and the packet comes from the client's own IPv6 address (what else the
    /// kernel sends on tun, from a link-local address say, is counted as <see cref="DropReason.SpoofedSource"/>).
    /// </summary>
    private static bool IsOwnPacket(ReadOnlySpan<byte> packet, Ipv6Grant? ipv6, out DropReason reason)
    {
        reason = DropReason.NotIPv4;
        var version = IPv4Header.VersionOf(packet);
        if (version == 4)
            return true;
        if (version != 6 || ipv6 is null)
            return false;
        if (!IPv6Header.TryReadAddresses(packet, out var source, out _))
        {
            reason = DropReason.MalformedInnerPacket;
            return false;
        }
        Span<byte> own = stackalloc byte[IPv6Address.Size];
        ipv6.ClientAddress.Write(own);
        if (source.SequenceEqual(own))
            return true;
        reason = DropReason.SpoofedSource;
        return false;
    }

    /// <summary>Datagrams wait on the client's socket: called from the socket's thread, never twice at once.</summary>
    private void OnDatagramsReadable()
    {
        if (ReceiveAll())
            DrainTunIfIdle();
    }

    /// <summary>Receives until the socket is empty; true when anything was written to tun.</summary>
    private bool ReceiveAll()
    {
        var wroteToTun = false;
        lock (_receiveLock)
        {
            var transport = _transport;
            if (_stopped || transport is null || ScratchFor(ref _receiveScratch) is not { } scratch)
                return false;
            var batch = scratch.Batch;
            int count;
            while ((count = DataPath.Receive(transport, scratch)) > 0)
            {
                var now = _time.GetTimestamp();
                var toTun = 0;
                var received = new TrafficTally();
                for (var i = 0; i < count; i++)
                {
                    if (OpenFromServer(batch[i], now))
                    {
                        scratch.ToTun[toTun++] = batch[i];
                        received.Add(batch[i].Length);
                    }
                }
                if (received.Packets > 0)
                {
                    // the one writer: the socket direction, under _receiveLock; once per batch
                    Volatile.Write(ref _rxPackets, _rxPackets + received.Packets);
                    Volatile.Write(ref _rxBytes, _rxBytes + received.Bytes);
                }
                if (toTun > 0)
                {
                    DataPath.WriteTun(_tun, scratch.ToTun.AsSpan(0, toTun), Drops);
                    wroteToTun = true;
                }
            }
        }
        return wroteToTun;
    }

    /// <summary>
    /// The server sealed under the new keys: it has switched, so the previous keys only open what is still
    /// in flight, for the grace period from now. Lost to a concurrent change of the session, it is moot.
    /// </summary>
    private void Confirmed(ActiveSession tunnel, long now) =>
        Interlocked.CompareExchange(ref _tunnel, tunnel with { PreviousUntil = now + _grace }, tunnel);

    /// <summary>
    /// A rekey request (docs/protocol.md §5.7), handed to the control plane. Under the current keys it starts a
    /// rekey; under the previous keys the server has not yet seen the new ones: a keepalive under them confirms.
    /// </summary>
    private void RekeyRequested(bool current)
    {
        Volatile.Write(ref current ? ref _rekeyWanted : ref _confirmWanted, 1);
        _control?.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Opens one datagram; true when it holds a packet for tun (already trimmed).</summary>
    private bool OpenFromServer(PacketBuffer datagram, long now)
    {
        var tunnel = Tunnel;
        if (tunnel is null)
        {
            Drops.Add(DropReason.NoSession);
            return false;
        }
        // the session id picks the keys: current, or previous (after a rekey, in its grace)
        var span = datagram.Span;
        var crypto = span.Length >= WireFormat.Overhead
            ? tunnel.Find(BinaryPrimitives.ReadUInt32BigEndian(span), now) ?? tunnel.Session
            : tunnel.Session;
        if (!crypto.TryOpen(span, out var innerLength, out var reason))
        {
            Drops.Add(reason);
            return false;
        }
        Volatile.Write(ref _lastReceived, now);
        Opened?.Invoke(crypto.Id);
        if (crypto == tunnel.Session && tunnel.AwaitsConfirmation)
            Confirmed(tunnel, now);
        if (innerLength == 0)
            return false;
        if (innerLength == 1 && datagram.Data[datagram.Offset + WireFormat.IvLength] == WireFormat.RekeyRequest)
        {
            RekeyRequested(current: crypto == tunnel.Session);
            return false;
        }
        datagram.Offset += WireFormat.IvLength;
        datagram.Length = innerLength;
        if (!IPv4Header.TryReadAddresses(datagram.Span, out _, out _)
            && (tunnel.Ipv6 is null || !IPv6Header.TryReadAddresses(datagram.Span, out _, out _)))
        {
            Drops.Add(DropReason.MalformedInnerPacket);
            return false;
        }
        TcpMss.Clamp(datagram.Span, tunnel.Mtu);
        return true;
    }
}

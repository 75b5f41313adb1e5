using System.Runtime.CompilerServices;
using MyVpn.Io;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Tunnel;

namespace MyVpn.Server;

/// <summary>One client's session on the server: its address, its UDP port and socket (its own, or one-port mode's shared one), its keys and timers.</summary>
/// <remarks>
/// Shared by threads: the session's socket thread opens and roams it, the tun thread and other
/// sessions' socket threads seal to it, the control plane (under the engine's lock) expires,
/// replaces and disposes it. So the fields that change after creation are read and written
/// atomically: the endpoint as an immutable box replaced whole (a new one only when the client roams), the timestamps as longs, <see cref="IsClosed"/>
/// as a volatile flag. A thread that still holds a session after it was removed sees its seal or
/// open fail (a counted drop) and its socket's send and receive do nothing.
/// </remarks>
internal sealed class ServerSession(string name, SessionGrant grant, Session crypto, long now) : IDisposable
{
    private KeyRing _keys = new(crypto, now);
    private StrongBox<NetEndpoint>? _endpoint;
    private long _lastReceived = now;
    private long _lastSent = now;
    private volatile bool _closed;

    // Traffic, inner packets only. Each pair has its writers: received by the session's socket thread (under
    // ReceiveLock, once per batch); sent from tun by the tun direction (under the engine's tun lock, one at a
    // time: plain writes); relayed from other clients by their sessions' threads (several at once: Interlocked).
    private long _rxPackets;
    private long _rxBytes;
    private long _txPackets;
    private long _txBytes;
    private long _relayedPackets;
    private long _relayedBytes;

    public string Name { get; } = name;
    public SessionGrant Grant { get; } = grant;

    /// <summary>Whether the session carries this inner packet's family: IPv4 always, IPv6 when its grant has IPv6.</summary>
    public bool Carries(ReadOnlySpan<byte> packet) => Grant.Ipv6 is not null || IPv4Header.VersionOf(packet) != 6;

    /// <summary>The keys the data path seals under (the current ones).</summary>
    public Session Crypto => Keys.Current;

    /// <summary>The session's keys: current, next (a rekey awaiting confirmation), previous (in its grace period).</summary>
    public KeyRing Keys => Volatile.Read(ref _keys);

    /// <summary>The session id of the current keys.</summary>
    public uint SessionId => Keys.Current.Id;

    /// <summary>
    /// Key confirmation (a data-path thread): <paramref name="next"/> opened an authentic datagram, so it becomes
    /// current, and the current keys open what is still in flight until <paramref name="previousUntil"/>.
    /// False if the ring moved on meanwhile (a newer rekey replaced <paramref name="next"/>).
    /// </summary>
    public bool Promote(Session next, long previousUntil)
    {
        while (true)
        {
            var keys = Keys;
            if (keys.Next != next)
                return false;
            if (Interlocked.CompareExchange(ref _keys, keys.Promoted(previousUntil), keys) == keys)
            {
                keys.Previous?.Dispose(); // the keys before the previous ones: their grace is over
                return true;
            }
        }
    }

    /// <summary>A rekey handshake (control plane): the new keys open at once and seal once confirmed.</summary>
    public void InstallNext(Session next, long now)
    {
        while (true)
        {
            var keys = Keys;
            if (Interlocked.CompareExchange(ref _keys, keys.WithNext(next, now), keys) == keys)
            {
                keys.Next?.Dispose(); // an earlier rekey the client never confirmed
                break;
            }
        }
        if (_closed)
            next.Dispose(); // removed meanwhile: Dispose may have read the ring before this write
    }

    /// <summary>Drops the previous keys once their grace period is over (control plane).</summary>
    public void ExpirePrevious(long now)
    {
        while (true)
        {
            var keys = Keys;
            if (keys.Previous is not { } previous || now < keys.PreviousUntil)
                return;
            if (Interlocked.CompareExchange(ref _keys, keys.WithoutPrevious(), keys) == keys)
            {
                previous.Dispose();
                return;
            }
        }
    }

    /// <summary>How many rekey requests the server sent since the current keys needed renewing (for tests and the log).</summary>
    public int RekeyRequests { get; set; }

    /// <summary>A rekey was asked for out of schedule (<see cref="VpnServer.RequestRekey"/>): requests go out until it lands.</summary>
    public bool RekeyAsked { get; set; }
    public IPv4Address Address => Grant.ClientAddress;
    public ushort Port => Grant.Port;
    public IDatagramTransport? Transport { get; set; }

    /// <summary>True in one-port mode: <see cref="Transport"/> is the engine's shared socket, which the session must not close.</summary>
    public bool SharesTransport { get; init; }

    /// <summary>Held while this session's datagrams are received and opened: one reader at a time (the replay window's order).</summary>
    public Lock ReceiveLock { get; } = new();

    /// <summary>Where the client's datagrams come from; unknown (default) until the first authentic one.</summary>
    public NetEndpoint Endpoint
    {
        get => Volatile.Read(ref _endpoint)?.Value ?? default;
        set => Volatile.Write(ref _endpoint, new StrongBox<NetEndpoint>(value));
    }

    public bool HasEndpoint => Volatile.Read(ref _endpoint) is not null;

    public long LastReceived
    {
        get => Volatile.Read(ref _lastReceived);
        set => Volatile.Write(ref _lastReceived, value);
    }

    public long LastSent
    {
        get => Volatile.Read(ref _lastSent);
        set => Volatile.Write(ref _lastSent, value);
    }

    /// <summary>Packets and datagrams of this session that were dropped, by reason (also counted engine-wide).</summary>
    public DropCounters Drops { get; } = new();

    /// <summary>A batch's packets opened from the client (its socket thread, under <see cref="ReceiveLock"/>).</summary>
    public void AddReceived(in TrafficTally tally)
    {
        if (tally.Packets == 0)
            return;
        Volatile.Write(ref _rxPackets, _rxPackets + tally.Packets);
        Volatile.Write(ref _rxBytes, _rxBytes + tally.Bytes);
    }

    /// <summary>A packet from tun sealed for the client (the tun direction, under the engine's tun lock).</summary>
    public void CountSentFromTun(int bytes)
    {
        Volatile.Write(ref _txPackets, _txPackets + 1);
        Volatile.Write(ref _txBytes, _txBytes + bytes);
    }

    /// <summary>Another client's packet sealed for this one (that client's socket thread: any number at once).</summary>
    public void CountRelayed(int bytes)
    {
        Interlocked.Increment(ref _relayedPackets);
        Interlocked.Add(ref _relayedBytes, bytes);
    }

    /// <summary>What a host may see of this session at <paramref name="now"/>.</summary>
    public SessionInfo Snapshot(TimeProvider time, long now)
    {
        var keys = Keys;
        return new SessionInfo(Name, keys.Current.Id, Address, Port, Endpoint)
        {
            SinceHandshake = time.GetElapsedTime(keys.Next is null ? keys.CurrentBorn : keys.NextBorn, now),
            RxPackets = Volatile.Read(ref _rxPackets),
            RxBytes = Volatile.Read(ref _rxBytes),
            TxPackets = Volatile.Read(ref _txPackets) + Interlocked.Read(ref _relayedPackets),
            TxBytes = Volatile.Read(ref _txBytes) + Interlocked.Read(ref _relayedBytes),
            Drops = Drops.NonZero(),
        };
    }

    /// <summary>True once the control plane removed the session; data-path threads holding it stop using it.</summary>
    public bool IsClosed => _closed;

    public void Dispose()
    {
        _closed = true;
        if (!SharesTransport)
            Transport?.Dispose();
        Keys.DisposeAll();
    }
}

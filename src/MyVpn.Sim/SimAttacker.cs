using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Sim;

/// <summary>
/// An on-path attacker: it records the last tunnel datagrams it sees on the wire and, when told to
/// strike, injects forgeries with spoofed sources: random bytes, captured datagrams with a flipped
/// byte or cut short, exact replays, and captured datagrams resent from its own address. Whatever it sends, no endpoint may deliver anything it
/// did not get from its peer (the checkers see to that) and no engine may fail. Told to tamper with a
/// client's handshakes (<see cref="TamperWithHandshakes"/>), it answers each one before the server can,
/// with bytes injected into the client's stream as if the server had sent them.
/// </summary>
internal sealed class SimAttacker
{
    private const int Remembered = 64;

    private readonly SimHost _host;
    private readonly SimRandom _random;
    private readonly List<WireEvent> _captured = [];

    public SimAttacker(SimNetwork network, SimHost host)
    {
        _host = host;
        _random = network.Random.Fork($"attacker:{host.Name}");
        network.Trace.Observe(Capture);
        network.Trace.Observe(WatchHandshakes);
    }

    /// <summary>
    /// Also forges datagrams that carry another session's id (one-port mode: the server finds sessions by
    /// that id, so a captured datagram relabelled as another session's must open under nothing).
    /// </summary>
    public bool SwapsSessionIds { get; init; }

    /// <summary>Forged datagrams sent so far.</summary>
    public long Forged { get; private set; }

    /// <summary>Sends <paramref name="count"/> forgeries, each based on a datagram seen recently.</summary>
    public void Strike(int count)
    {
        if (_captured.Count == 0)
            return;
        _host.Network.Note($"{_host.Name} injects {count} forged datagrams");
        for (var i = 0; i < count; i++)
        {
            var seen = _captured[(int)_random.Next(_captured.Count)];
            Forged++;
            if (_random.Chance(200)) // resent as it was, but from the attacker's own address
                _host.Network.SendDatagram(_host, new NetEndpoint(_host.Address, seen.Source.Port), seen.Target, seen.Bytes);
            else
                _host.Network.SendDatagram(_host, seen.Source, seen.Target, Forge(seen.Bytes));
        }
    }

    /// <summary>
    /// From now on, answers every handshake <paramref name="victim"/> opens to <paramref name="server"/>
    /// with a forgery that reaches the client 1 ms after its message left, long before the server's
    /// answer can (the attacker sits next to the client). The forgeries take turns, in this order: a
    /// Reject of each code (1 to 7, then the unknown 0 and 255) in place of the ServerHello, then in
    /// place of the ServerAccept 103 bytes of well-framed garbage, then a real ServerAccept recorded
    /// from another handshake.
    /// </summary>
    /// <param name="kinds">Only these of <see cref="HandshakeForgeryKinds"/>, in their order (default: all).</param>
    public void TamperWithHandshakes(SimHost victim, NetEndpoint server, IReadOnlyList<string>? kinds = null)
    {
        _host.Network.Note($"{_host.Name} tampers with the handshakes of {victim.Name}");
        _tamperVictim = victim;
        _tamperServer = server;
        _tamperKinds = kinds ?? HandshakeForgeryKinds;
        _nextForgery = 0;
    }

    public void StopTampering()
    {
        _host.Network.Note($"{_host.Name} stops tampering");
        _tamperVictim = null;
        _pendingAccepts.Clear();
    }

    /// <summary>Every forgery injected into a handshake stream, in order: <c>Reject 3</c>, <c>garbage ServerAccept</c>, <c>replayed ServerAccept</c>.</summary>
    public List<string> HandshakeForgeries { get; } = [];

    /// <summary>The kinds <see cref="TamperWithHandshakes"/> takes turns with.</summary>
    public static readonly IReadOnlyList<string> HandshakeForgeryKinds =
    [
        .. new byte[] { 1, 2, 3, 4, 5, 6, 7, 0, 255 }.Select(code => $"Reject {code}"),
        GarbageAccept,
        ReplayedAccept,
    ];

    private const string GarbageAccept = "garbage ServerAccept";
    private const string ReplayedAccept = "replayed ServerAccept";
    private const int RecordedAccepts = 8;

    private SimHost? _tamperVictim;
    private NetEndpoint _tamperServer;
    private int _nextForgery;
    private IReadOnlyList<string> _tamperKinds = HandshakeForgeryKinds;
    private readonly List<byte[]> _recordedAccepts = [];

    /// <summary>The victim's connections whose ServerAccept is to be forged (by local endpoint), with the kind.</summary>
    private readonly Dictionary<NetEndpoint, string> _pendingAccepts = [];

    private void WatchHandshakes(WireEvent e)
    {
        if (e.Kind != WireKind.Tcp || e.Detail != "DATA" || e.SourceHost == _host.Name || e.Bytes.Length == 0)
            return;
        var type = (HandshakeMessageType)e.Bytes[0];
        if (type == HandshakeMessageType.ServerAccept && e.Bytes.Length == HandshakeMessage.HeaderLength + HandshakeMessage.ServerAcceptLength)
        {
            if (_recordedAccepts.Count == RecordedAccepts)
                _recordedAccepts.RemoveAt(0);
            _recordedAccepts.Add(e.Bytes);
            return;
        }
        if (_tamperVictim is not { } victim || e.SourceHost != victim.Name || e.Target != _tamperServer || victim.StreamAt(e.Source) is not { } stream)
            return;
        if (type == HandshakeMessageType.ClientHello)
        {
            var kind = _tamperKinds[_nextForgery++ % _tamperKinds.Count];
            if (kind.StartsWith("Reject ", StringComparison.Ordinal))
                Inject(stream, kind, HandshakeMessage.Frame(HandshakeMessageType.Reject, [byte.Parse(kind["Reject ".Length..])]));
            else
                _pendingAccepts[e.Source] = kind;
        }
        else if (type == HandshakeMessageType.ClientAuth && _pendingAccepts.Remove(e.Source, out var kind))
        {
            if (kind == ReplayedAccept && _recordedAccepts.Count > 0)
            {
                Inject(stream, kind, _recordedAccepts[(int)_random.Next(_recordedAccepts.Count)]);
            }
            else
            {
                var body = new byte[HandshakeMessage.ServerAcceptLength];
                _random.Fill(body);
                Inject(stream, GarbageAccept, HandshakeMessage.Frame(HandshakeMessageType.ServerAccept, body));
            }
        }
    }

    private void Inject(SimStreamEnd stream, string kind, byte[] bytes)
    {
        HandshakeForgeries.Add(kind);
        _host.Network.InjectSegment(_host, stream, bytes, TimeSpan.FromMilliseconds(1));
    }

    private byte[] Forge(byte[] original)
    {
        switch (_random.Next(SwapsSessionIds ? 5 : 4))
        {
            case 4: // another session's id on this one's datagram
                return WithAnotherSessionId(original);
            case 0: // random bytes of a random length
                var noise = new byte[_random.Next(200)];
                _random.Fill(noise);
                return noise;
            case 1: // one byte flipped
                var flipped = original.ToArray();
                if (flipped.Length > 0)
                    flipped[_random.Next(flipped.Length)] ^= (byte)_random.NextInRange(1, 255);
                return flipped;
            case 2: // cut short
                return original[..(int)_random.Next(original.Length + 1)];
            default: // replayed as it was
                return original.ToArray();
        }
    }

    /// <summary>A copy of <paramref name="original"/> labelled with the session id of another captured datagram (if any differs).</summary>
    private byte[] WithAnotherSessionId(byte[] original)
    {
        var relabelled = original.ToArray();
        if (relabelled.Length < 4)
            return relabelled;
        var id = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(relabelled);
        var others = _captured.Where(c => c.Bytes.Length >= 4 && System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(c.Bytes) != id).ToList();
        if (others.Count > 0)
            others[(int)_random.Next(others.Count)].Bytes.AsSpan(0, 4).CopyTo(relabelled);
        SwappedIds++;
        return relabelled;
    }

    /// <summary>Forgeries sent under another session's id (<see cref="SwapsSessionIds"/>).</summary>
    public long SwappedIds { get; private set; }

    private void Capture(WireEvent e)
    {
        if (e.Kind != WireKind.Udp || e.SourceHost == _host.Name || !e.Outcome.StartsWith("deliver", StringComparison.Ordinal))
            return;
        if (_captured.Count == Remembered)
            _captured.RemoveAt(0);
        _captured.Add(e);
    }

    public override string ToString() => $"attacker {_host.Name} ({_host.Address})";

    internal static readonly IPv4Address DefaultAddress = IPv4Address.Parse("203.0.113.254");
}

using MyVpn.Net;

namespace MyVpn.Sim;

/// <summary>
/// An on-path attacker: it records the last tunnel datagrams it sees on the wire and, when told to
/// strike, injects forgeries with spoofed sources: random bytes, captured datagrams with a flipped
/// byte or cut short, exact replays, and captured datagrams resent from its own address. Whatever it sends, no endpoint may deliver anything it
/// did not get from its peer (the checkers see to that) and no engine may fail.
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
    }

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
                _host.Network.SendDatagram(_host, new UdpEndpoint(_host.Address, seen.Source.Port), seen.Target, seen.Bytes);
            else
                _host.Network.SendDatagram(_host, seen.Source, seen.Target, Forge(seen.Bytes));
        }
    }

    private byte[] Forge(byte[] original)
    {
        switch (_random.Next(4))
        {
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

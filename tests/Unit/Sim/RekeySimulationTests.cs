using System.Buffers.Binary;
using System.Security.Cryptography;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Sim;
using MyVpn.Sim.Scenarios;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>
/// Rekeying on the real engines over 6 virtual hours of steady pings both ways (pc1 to the internet,
/// the server and pc2 to pc1), on links that lose, duplicate and reorder: no ping is lost to a rekey,
/// every session rekeys every couple of minutes, and no (key, nonce) pair is ever sealed twice.
/// </summary>
public sealed class RekeySimulationTests
{
    private static readonly IPv4Address Pc1Address = IPv4Address.Parse("10.0.0.2");

    [Fact]
    public void Six_hours_of_pings_across_rekeys_lose_nothing_to_them_and_never_reuse_a_nonce()
    {
        var keys = new Dictionary<uint, SessionKeys>();
        var options = new SeedNetworkOptions
        {
            KeepTrace = false,
            Faults = LinkFaults.None with
            {
                LossPerMille = 10,
                DuplicatePerMille = 5,
                DelayMin = TimeSpan.FromMilliseconds(5),
                DelayMean = TimeSpan.FromMilliseconds(40), // jitter: datagrams overtake each other
            },
            KeyLog = k => keys[k.SessionId] = k,
        };
        var net = SeedNetwork.Connected(seed: 12, options);
        var sealedWith = new NonceLedger(keys, net.Server);
        net.Network.DatagramSent = sealedWith.Record;

        var unrouted = 0;
        var duration = TimeSpan.FromHours(6);
        for (var t = TimeSpan.Zero; t < duration; t += TimeSpan.FromSeconds(2))
        {
            unrouted += Ping(net, net.Pc1.Host, SeedNetwork.InternetAddress);
            net.Clock.RunFor(TimeSpan.FromMilliseconds(700));
            unrouted += Ping(net, net.Server, Pc1Address);
            net.Clock.RunFor(TimeSpan.FromMilliseconds(600));
            unrouted += Ping(net, net.Pc2.Host, Pc1Address);
            net.Clock.RunFor(TimeSpan.FromMilliseconds(700));
        }
        net.Clock.RunFor(TimeSpan.FromSeconds(5));

        Assert.Equal(0, unrouted); // every ping found a session: the tunnel never went down
        Assert.Empty(sealedWith.Reused);
        Assert.Empty(sealedWith.UnknownSessions);
        // more than 150 rekeys for each client (every 120 s plus at most a tick), each a new session id
        foreach (var client in net.Clients)
            Assert.InRange(client.Engine!.Handshakes - 1, 151, 200);
        Assert.Equal(net.Clients.Sum(c => c.Engine!.Handshakes), sealedWith.SessionIds);

        // no ping lost to a rekey: every ping none of whose datagrams the links lost was answered
        var pings = net.Network.Pings.All;
        Assert.Equal(3 * 10_800, pings.Count);
        var unanswered = pings.Where(p => !p.Replied && !sealedWith.HitByLoss.Contains(p.Serial)).Select(p => $"#{p.Serial} {p.From.Name}->{p.Target}").ToList();
        Assert.True(unanswered.Count == 0, $"{unanswered.Count} pings unanswered with no datagram lost: {string.Join(", ", unanswered.Take(10))}");
        Assert.True(sealedWith.HitByLoss.Count > 100, $"the links lost datagrams of only {sealedWith.HitByLoss.Count} pings"); // the run did test loss
        Assert.False(net.Network.Violations.Any, net.Network.Violations.First);

        // no drop for a key-related reason; replays only as many as the links duplicated
        var engines = net.Clients.Select(c => c.Engine!.Drops).Append(net.ServerEngine!.Drops).ToList();
        foreach (var reason in new[] { DropReason.WrongSession, DropReason.SessionClosed, DropReason.AuthenticationFailed,
                     DropReason.NotConnected, DropReason.NoSession, DropReason.CounterExhausted })
            Assert.True(engines.Sum(d => d[reason]) == 0, $"{reason}: {string.Join("; ", engines)}");
        Assert.InRange(engines.Sum(d => d[DropReason.Replayed]), 0, sealedWith.ExtraCopies);
    }

    private static int Ping(SeedNetwork net, SimHost from, IPv4Address target) =>
        net.Network.StartPing(from, target) is null ? 1 : 0;

    /// <summary>
    /// Records, at each sender, the data key (from the key log, by session id and direction) and the IV's
    /// first 12 bytes (the nonce) of every datagram sealed; and which pings had a datagram lost on a link.
    /// </summary>
    private sealed class NonceLedger(Dictionary<uint, SessionKeys> keys, SimHost server)
    {
        private readonly Dictionary<string, int> _keyIndex = [];
        private readonly HashSet<(int Key, uint Id, ulong Counter)> _used = [];
        private readonly HashSet<uint> _ids = [];

        public List<string> Reused { get; } = [];
        public List<uint> UnknownSessions { get; } = [];
        public HashSet<uint> HitByLoss { get; } = [];
        public int ExtraCopies { get; private set; }
        public int SessionIds => _ids.Count;

        public void Record(SimHost from, NetEndpoint source, NetEndpoint target, byte[] datagram, int copies)
        {
            if (datagram.Length < WireFormat.Overhead)
                return;
            var id = BinaryPrimitives.ReadUInt32BigEndian(datagram);
            var counter = BinaryPrimitives.ReadUInt64BigEndian(datagram.AsSpan(4));
            if (!keys.TryGetValue(id, out var logged))
            {
                UnknownSessions.Add(id);
                return;
            }
            _ids.Add(id);
            var key = from == server ? logged.ServerToClient : logged.ClientToServer;
            var hex = Convert.ToHexString(key);
            if (!_keyIndex.TryGetValue(hex, out var index))
                _keyIndex[hex] = index = _keyIndex.Count;
            if (!_used.Add((index, id, counter)))
                Reused.Add($"{from.Name} session {id:x8} counter {counter}");
            ExtraCopies += Math.Max(0, copies - 1);
            if (copies == 0 && PingSerial(key, datagram) is { } serial)
                HitByLoss.Add(serial);
        }

        private static uint? PingSerial(byte[] key, byte[] datagram)
        {
            var inner = new byte[datagram.Length - WireFormat.Overhead];
            using var aes = new AesGcm(key, WireFormat.TagLength);
            aes.Decrypt(datagram.AsSpan(0, WireFormat.NonceLength), datagram.AsSpan(WireFormat.IvLength, inner.Length),
                datagram.AsSpan(datagram.Length - WireFormat.TagLength), inner, datagram.AsSpan(0, WireFormat.IvLength));
            return inner.Length > 0 && IcmpEcho.TryParse(inner, out var echo) && PingPayload.TryReadSerial(echo.Payload, out var serial)
                ? serial
                : null;
        }
    }
}

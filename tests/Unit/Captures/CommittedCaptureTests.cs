using MyVpn.Captures;
using MyVpn.Tests.Unit.Support;
using PacketDotNet;
using Xunit;

namespace MyVpn.Tests.Unit.Captures;

/// <summary>
/// The captures committed under captures/ (recorded on real tun devices by the netns suite, see
/// captures/README.md), read without root: by `myvpn pcap inspect`'s inspector, by the Wireshark
/// dissector through tshark, and, where a key log is committed beside a capture, decrypted with it.
/// What each capture must hold is written here, from how it was recorded (tests/Netns/HandshakeCaptureTests.cs),
/// never read back from the file under test.
/// </summary>
public sealed class CommittedCaptureTests : IDisposable
{
    private const string HandshakesAndPings = "handshakes-and-pings";
    private const string Server = "192.0.2.1";
    private const string Pc1 = "192.0.2.2";
    private const string Pc2 = "192.0.2.3";
    private const ushort PingToPc2 = 0x4d56;    // ping -e 19798 -s 12 -p <"myvpn-secret"> -c 3 10.0.0.3, from pc1
    private const ushort PingToServer = 0x4d57; // ping -e 19799 -s 12 -p <"myvpn-secret"> -c 3 10.0.0.1, from pc1
    private const string PingPayload = "myvpn-secret";

    private readonly string _dir = Directory.CreateTempSubdirectory("myvpn-committed-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string CapturesDirectory => Path.Combine(Tshark.RepositoryRoot(), "captures");

    private static string CapturePath(string name) => Path.Combine(CapturesDirectory, $"{name}.pcap");

    private static string KeyLogPath(string name) => Path.Combine(CapturesDirectory, $"{name}.keys.log");

    /// <summary>Every captures/*.pcap, by name without the extension.</summary>
    private static List<string> CaptureNames() =>
        Directory.GetFiles(CapturesDirectory, "*.pcap").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The captures read with the default ports: all but the simulator's one-port captures (odd seeds, handshake
    /// and data on 9525), which GoldenCaptureTests reads with their ports.
    /// </summary>
    public static TheoryData<string> CommittedCaptures() => new(CaptureNames().Where(n => !IsOnePortSimulation(n)));

    private static bool IsOnePortSimulation(string name) =>
        name.StartsWith("sim-seed-", StringComparison.Ordinal) && ulong.TryParse(name["sim-seed-".Length..], out var seed) && seed % 2 == 1;

    [Fact]
    public void The_captures_folder_holds_the_recorded_captures_and_the_key_log()
    {
        var names = CaptureNames();
        Assert.Contains("ping-pc1-pc2", names);
        Assert.Contains(HandshakesAndPings, names);
        Assert.True(File.Exists(KeyLogPath(HandshakesAndPings)));
        Assert.InRange(new FileInfo(CapturePath(HandshakesAndPings)).Length, 1, 50 * 1024);
    }

    [Theory]
    [MemberData(nameof(CommittedCaptures))]
    public void Inspector_finds_only_well_formed_MyVpn_traffic_with_unique_ivs(string name)
    {
        var report = CaptureInspector.Inspect(CaptureReader.Read(CapturePath(name)), new CaptureOptions());

        Assert.NotEmpty(report.Sessions);
        Assert.Empty(report.ForeignFlows);
        Assert.All(report.Handshakes, h => Assert.Null(h.Error));
        Assert.All(report.Sessions, s => Assert.Equal(0, s.RepeatedIvs));
        Assert.True(report.IsClean, report.ToString());
    }

    [Theory]
    [MemberData(nameof(CommittedCaptures))]
    public void Dissector_shows_reserved_zero_and_unique_counters_and_no_malformed_message(string name)
    {
        var capture = CapturePath(name);
        var rows = DataPackets(capture);

        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal("0x00000000", r.Reserved));
        Assert.Equal(rows.Count, rows.Select(r => (r.Session, r.Direction, r.Counter)).Distinct().Count());
        Assert.Empty(Tshark.Fields(capture, "myvpn.data.reserved_nonzero || myvpn.data.short || myvpn.hs.malformed || _ws.malformed", "frame.number"));
    }

    [Theory]
    [MemberData(nameof(CommittedCaptures))]
    public void A_committed_key_log_opens_every_data_packet_of_its_capture(string name)
    {
        if (!File.Exists(KeyLogPath(name)))
            return; // ping-pc1-pc2 was recorded without one: the checks above are all that apply
        var counts = CaptureDecryptor.Decrypt(CaptureReader.Read(CapturePath(name)), KeyLog.Read(KeyLogPath(name)),
            new CaptureOptions(), Path.Combine(_dir, "inner.pcap"));

        Assert.Equal(0, counts.AuthenticationFailures);
        Assert.Equal(0, counts.NoKey);
        Assert.True(counts.Decrypted > 0);
    }

    [Fact]
    public void Handshakes_and_pings_shows_each_connection_s_messages_in_order()
    {
        var capture = CapturePath(HandshakesAndPings);
        var rows = Tshark.Fields(capture, "myvpn.hs.type", "tcp.stream", "ip.src", "ip.dst", "myvpn.hs.type", "myvpn.hs.version", "myvpn.hs.length", "myvpn.hs.reject_code");

        // One TCP connection per client: pc1 and pc2 are accepted; then a client on pc2's host with the
        // wrong key is refused with Reject code 1 (AuthenticationFailed).
        var connections = rows.GroupBy(r => r[0]).Select(g => (
            Client: g.SelectMany(r => (string[])[r[1], r[2]]).First(a => a != Server),
            Types: string.Join(",", g.Select(r => r[3])))).ToList();
        Assert.Equal([(Pc1, "1,2,3,4"), (Pc2, "1,2,3,4"), (Pc2, "1,2,3,5")], connections);
        Assert.All(rows, r => Assert.Equal("1", r[4]));
        var lengths = new Dictionary<string, string> { ["1"] = "97", ["2"] = "97", ["3"] = "117", ["4"] = "99", ["5"] = "1" };
        Assert.All(rows, r => Assert.Equal(lengths[r[3]], r[5]));
        Assert.Equal(["1"], rows.Where(r => r[3] == "5").Select(r => r[6]));

        var report = CaptureInspector.Inspect(CaptureReader.Read(capture), new CaptureOptions());
        const string accepted = "ClientHello(97) ServerHello(97) ClientAuth(117) ServerAccept(99)";
        const string refused = "ClientHello(97) ServerHello(97) ClientAuth(117) Reject(1)";
        Assert.Equal([(Pc1, accepted), (Pc2, accepted), (Pc2, refused)],
            report.Handshakes.Select(h => (h.Client.Address.ToString(), string.Join(" ", h.Messages))).ToList());
    }

    [Fact]
    public void Handshakes_and_pings_data_packets_belong_to_the_logged_sessions_and_count_from_zero()
    {
        var rows = DataPackets(CapturePath(HandshakesAndPings));
        var logged = KeyLog.Read(KeyLogPath(HandshakesAndPings));

        // Two sessions (pc1, pc2), each logged once; the refused client got none.
        Assert.Equal(2, logged.Count);
        Assert.All(logged.Values, keys => Assert.Single(keys));
        Assert.Equal(logged.Keys.Select(id => $"0x{id:x8}").Order(), rows.Select(r => r.Session).Distinct().Order());

        // Recorded from before the handshakes: every direction of every session counts 0, 1, 2, … without a gap.
        foreach (var direction in rows.GroupBy(r => (r.Session, r.Direction)))
        {
            var counters = direction.Select(r => ulong.Parse(r.Counter)).ToList();
            Assert.Equal(Enumerable.Range(0, counters.Count).Select(i => (ulong)i), counters);
        }
        // Each client's first packet (counter 0) is the keepalive it sends as its session starts.
        var first = rows.Where(r => r.Direction == "client->server" && r.Counter == "0").ToList();
        Assert.Equal(2, first.Count);
        Assert.All(first, r => Assert.Contains(r.Keepalive, (string[])["1", "True"])); // tshark versions print booleans either way
    }

    [Fact]
    public void Handshakes_and_pings_decrypts_to_exactly_the_pings()
    {
        var output = Path.Combine(_dir, "inner.pcap");
        var counts = CaptureDecryptor.Decrypt(CaptureReader.Read(CapturePath(HandshakesAndPings)), KeyLog.Read(KeyLogPath(HandshakesAndPings)),
            new CaptureOptions(), output);

        // pc1 -> pc2 crosses the tunnel twice (pc1 -> server, server -> pc2; replies pc2 -> server, server -> pc1),
        // pc1 -> 10.0.0.1 once each way: 3 × 4 + 3 × 2 = 18 inner packets, all ICMP echoes.
        var expected = Enumerable.Range(1, 3).SelectMany(seq => (string[])[
            Echo("EchoRequest", PingToPc2, seq, "10.0.0.2", "10.0.0.3"),
            Echo("EchoRequest", PingToPc2, seq, "10.0.0.2", "10.0.0.3"),
            Echo("EchoReply", PingToPc2, seq, "10.0.0.3", "10.0.0.2"),
            Echo("EchoReply", PingToPc2, seq, "10.0.0.3", "10.0.0.2"),
            Echo("EchoRequest", PingToServer, seq, "10.0.0.2", "10.0.0.1"),
            Echo("EchoReply", PingToServer, seq, "10.0.0.1", "10.0.0.2"),
        ]).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(18, expected.Count);
        Assert.Equal(new DecryptionCounts(18, counts.Keepalives, 0, 0), counts);
        Assert.True(counts.Keepalives >= 2, $"{counts.Keepalives} keepalives: each client sends one as its session starts");

        var inner = PcapFiles.ReadRaw(output).Select(bytes => new IPv4Packet(new PacketDotNet.Utils.ByteArraySegment(bytes))).ToList();
        Assert.All(inner, ip => Assert.Contains(PingPayload, System.Text.Encoding.ASCII.GetString(ip.Extract<IcmpV4Packet>()?.PayloadData ?? [])));
        var actual = inner.Select(ip => ip.Extract<IcmpV4Packet>() is { } icmp
                ? Echo(icmp.TypeCode.ToString(), icmp.Id, icmp.Sequence, ip.SourceAddress.ToString(), ip.DestinationAddress.ToString(),
                    System.Text.Encoding.ASCII.GetString(icmp.PayloadData))
                : $"not ICMP: {ip}")
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Pcap_commands_exit_0_on_the_committed_capture_4_under_wrong_keys_and_1_when_unreadable()
    {
        var capture = CapturePath(HandshakesAndPings);
        var wrongKeys = Path.Combine(_dir, "wrong.keys.log");
        File.WriteAllLines(wrongKeys, KeyLog.Read(KeyLogPath(HandshakesAndPings)).Keys
            .Select(id => KeyLog.Format(new MyVpn.Protocol.SessionKeys(id, new byte[32], new byte[32]))));
        var output = Path.Combine(_dir, "inner.pcap");

        var original = (Console.Out, Console.Error);
        Console.SetOut(TextWriter.Null);
        Console.SetError(TextWriter.Null);
        try
        {
            Assert.Equal(0, MyVpn.Cli.CommandLine.Run(["pcap", "inspect", capture]));
            Assert.Equal(0, MyVpn.Cli.CommandLine.Run(["pcap", "decrypt", capture, "--keylog", KeyLogPath(HandshakesAndPings), "-o", output]));
            Assert.Equal(4, MyVpn.Cli.CommandLine.Run(["pcap", "decrypt", capture, "--keylog", wrongKeys, "-o", output]));
            Assert.Equal(1, MyVpn.Cli.CommandLine.Run(["pcap", "inspect", Path.Combine(_dir, "missing.pcap")]));
        }
        finally
        {
            Console.SetOut(original.Out);
            Console.SetError(original.Error);
        }
    }

    private static string Echo(string type, ushort id, int seq, string source, string destination, string payload = PingPayload) =>
        $"{type} id {id:x4} seq {seq} {source} -> {destination} '{payload}'";

    private sealed record DataRow(string Session, string Direction, string Counter, string Reserved, string Keepalive);

    private static List<DataRow> DataPackets(string capture) =>
        Tshark.Fields(capture, "myvpn.data.session_id", "myvpn.data.session_id", "myvpn.data.direction", "myvpn.data.counter",
                "myvpn.data.reserved", "myvpn.data.keepalive")
            .Select(r => new DataRow(r[0], r[1], r[2], r[3], r[4]))
            .ToList();
}

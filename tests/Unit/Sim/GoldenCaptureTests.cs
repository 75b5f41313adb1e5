using System.CommandLine;
using MyVpn.Captures;
using MyVpn.Sim;
using MyVpn.Sim.Scenarios;
using MyVpn.Tests.Unit.Support;
using PacketDotNet;
using Xunit;
using SimCommandLine = MyVpn.Sim.Runner.CommandLine;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>
/// The golden captures: the simulated WAN of two chaos runs (<c>run --seed N --pcap</c>), committed as
/// captures/sim-seed-N.pcap with their key logs: seed 56 (even, so each session has its own port as by
/// default) and seed 161 (odd: the server in one-port mode, every session on the handshake port's number;
/// a seed with no one-off fault, so the capture stays put while faults are added). A fresh run must write
/// the same bytes, so any change to what crosses the wire shows as a difference here, to be reviewed and
/// the files regenerated (UPDATE_SNAPSHOTS=1). The capture tools and the Wireshark dissector read them,
/// and what they report is checked against what the run itself says it sent.
/// </summary>
public sealed class GoldenCaptureTests : IDisposable
{
    public const ulong Seed = 56;
    public const ulong OnePortSeed = 161;
    private const string Regenerate =
        "UPDATE_SNAPSHOTS=1 dotnet test tests/Unit -c Release --filter FullyQualifiedName~GoldenCaptureTests " +
        "(it runs: dotnet run --project src/MyVpn.Sim -c Release -- run --seed N --quiet --pcap captures/sim-seed-N.pcap --keylog captures/sim-seed-N.keys.log)";

    private readonly string _dir = Directory.CreateTempSubdirectory("myvpn-golden-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<ulong> Seeds() => new(Seed, OnePortSeed);

    private static string Committed(ulong seed, string extension) => Path.Combine(Tshark.RepositoryRoot(), "captures", $"sim-seed-{seed}.{extension}");

    /// <summary>The ports the seed's server uses: its own in one-port mode (handshake and data on 9525), else the defaults.</summary>
    private static CaptureOptions Ports(ulong seed) => ChaosScenario.SinglePortFor(seed)
        ? new CaptureOptions(SeedNetwork.HandshakePort, SeedNetwork.HandshakePort, SeedNetwork.HandshakePort)
        : new CaptureOptions();

    /// <summary>The same for the command line (<c>--ports</c>) and the dissector (<c>-o</c>).</summary>
    private static string[] PortArgs(ulong seed) => ChaosScenario.SinglePortFor(seed) ? ["--ports", $"{SeedNetwork.HandshakePort}-{SeedNetwork.HandshakePort}"] : [];

    private static string[] DissectorPorts(ulong seed) => ChaosScenario.SinglePortFor(seed)
        ? [$"myvpn.first_port:{SeedNetwork.HandshakePort}", $"myvpn.last_port:{SeedNetwork.HandshakePort}"]
        : [];

    [Fact]
    public void The_golden_seeds_cover_both_port_modes_and_the_one_port_seed_has_no_one_off_fault()
    {
        Assert.False(ChaosScenario.SinglePortFor(Seed));
        Assert.True(ChaosScenario.SinglePortFor(OnePortSeed));
        Assert.False(ChaosScenario.Ipv6For(Seed) || ChaosScenario.Ipv6For(OnePortSeed), "both golden seeds are IPv4 only");
        Assert.Empty(ChaosScenario.Draw(OnePortSeed).Plan.Events);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_fresh_run_writes_the_committed_capture_and_key_log_byte_for_byte(ulong seed)
    {
        var (pcap, keys) = (Path.Combine(_dir, "wan.pcap"), Path.Combine(_dir, "wan.keys.log"));

        var error = new StringWriter();
        var exit = SimCommandLine.Run(["run", "--seed", $"{seed}", "--quiet", "--pcap", pcap, "--keylog", keys],
            new InvocationConfiguration { Output = TextWriter.Null, Error = error });

        Assert.True(exit == 0, error.ToString());
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            File.Copy(pcap, Committed(seed, "pcap"), overwrite: true);
            File.Copy(keys, Committed(seed, "keys.log"), overwrite: true);
            return;
        }
        AssertSameBytes(Committed(seed, "pcap"), pcap);
        AssertSameBytes(Committed(seed, "keys.log"), keys);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Inspect_finds_every_handshake_and_data_packet_the_run_sent_and_no_repeated_iv(ulong seed)
    {
        var sent = Sent.Of(seed);

        var report = CaptureInspector.Inspect(CaptureReader.Read(Committed(seed, "pcap")), Ports(seed));

        Assert.True(report.IsClean, report.ToString());
        Assert.Equal(sent.Connections, report.Handshakes.Count);
        Assert.All(report.Handshakes, h => Assert.Equal("ClientHello(97) ServerHello(97) ClientAuth(117) ServerAccept(99)", string.Join(" ", h.Messages)));
        Assert.Equal(sent.DataDatagrams, report.Sessions.Sum(s => s.ToServer.Packets + s.ToClient.Packets));
        Assert.Equal(KeyLog.Read(Committed(seed, "keys.log")).Keys.Order(), report.Sessions.Select(s => s.SessionId).Order());
        Assert.Equal(0, RunQuietly(["pcap", "inspect", Committed(seed, "pcap"), .. PortArgs(seed)]));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Decrypt_with_the_run_s_key_log_opens_every_data_packet_to_the_run_s_pings(ulong seed)
    {
        var sent = Sent.Of(seed);
        var inner = Path.Combine(_dir, "inner.pcap");

        var counts = CaptureDecryptor.Decrypt(CaptureReader.Read(Committed(seed, "pcap")), KeyLog.Read(Committed(seed, "keys.log")), Ports(seed), inner);

        Assert.Equal(0, counts.AuthenticationFailures);
        Assert.Equal(0, counts.NoKey);
        Assert.Equal(sent.DataDatagrams, counts.Decrypted + counts.Keepalives + counts.RekeyRequests);
        var echoes = PcapFiles.ReadRaw(inner).Select(bytes => new IPv4Packet(new PacketDotNet.Utils.ByteArraySegment(bytes)).Extract<IcmpV4Packet>()).ToList();
        Assert.Equal(counts.Decrypted, echoes.Count);
        Assert.All(echoes, icmp => Assert.True(icmp is not null && PingPayload.TryReadSerial(icmp.PayloadData, out _), "every inner packet is a simulator ping"));
        var requests = echoes.Where(i => i!.TypeCode == IcmpV4TypeCode.EchoRequest).Select(i => PingPayload.TryReadSerial(i!.PayloadData, out var s) ? s : 0).Distinct().Count();
        // Each answered ping's request crossed the tunnel; a ping sent while its client had no session never did.
        Assert.InRange(requests, sent.Result.PingsReplied, sent.Result.PingsSent);
        Assert.Equal(0, RunQuietly(["pcap", "decrypt", Committed(seed, "pcap"), "--keylog", Committed(seed, "keys.log"), "-o", inner, .. PortArgs(seed)]));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_dissector_shows_each_handshake_in_order_and_every_data_packet_the_run_sent(ulong seed)
    {
        var sent = Sent.Of(seed);
        var pcap = Committed(seed, "pcap");
        var prefs = DissectorPorts(seed);

        var data = Tshark.Fields(pcap, prefs, "myvpn.data.session_id", "myvpn.data.session_id", "myvpn.data.counter", "myvpn.data.direction");
        var handshakes = Tshark.Fields(pcap, prefs, "myvpn.hs.type", "tcp.stream", "myvpn.hs.type");

        Assert.Equal(sent.DataDatagrams, data.Count);
        Assert.Equal(data.Count, data.Select(r => (r[0], r[1], r[2])).Distinct().Count());
        Assert.Equal(Enumerable.Repeat("1,2,3,4", sent.Connections), handshakes.GroupBy(r => r[0]).Select(g => string.Join(",", g.Select(r => r[1]))));
        Assert.Empty(Tshark.Fields(pcap, prefs, "myvpn.data.reserved_nonzero || myvpn.data.short || myvpn.hs.malformed || _ws.malformed", "frame.number"));
    }

    private static void AssertSameBytes(string committed, string fresh)
    {
        Assert.True(File.Exists(committed), $"{committed} is missing: {Regenerate}");
        var (expected, actual) = (File.ReadAllBytes(committed), File.ReadAllBytes(fresh));
        var at = 0;
        while (at < Math.Min(expected.Length, actual.Length) && expected[at] == actual[at])
            at++;
        Assert.True(at == expected.Length && at == actual.Length,
            $"{Path.GetFileName(committed)} ({expected.Length} bytes) and a fresh run ({actual.Length} bytes) differ from byte {at}. " +
            $"If the wire changed on purpose, review the new capture (myvpn pcap inspect, tshark) and regenerate it: {Regenerate}");
    }

    private static int RunQuietly(string[] args)
    {
        lock (Console.Out)
        {
            var original = (Console.Out, Console.Error);
            Console.SetOut(TextWriter.Null);
            Console.SetError(TextWriter.Null);
            try
            {
                return MyVpn.Cli.CommandLine.Run(args);
            }
            finally
            {
                Console.SetOut(original.Out);
                Console.SetError(original.Error);
            }
        }
    }

    /// <summary>What the run put on the wire, counted from its own trace: independent of the capture file and its readers.</summary>
    private sealed record Sent(ScenarioResult Result, int Connections, int DataDatagrams)
    {
        public static Sent Of(ulong seed)
        {
            int connections = 0, data = 0;
            var ports = Ports(seed);
            var result = ChaosScenario.Run(seed, recorders: new ScenarioRecorders
            {
                Wire = e =>
                {
                    if (!WanCapture.IsTransmission(e))
                        return;
                    if (e.Kind == WireKind.Tcp && e.Detail == "SYN")
                        connections++;
                    if (e.Kind == WireKind.Udp && (ports.IsSessionPort(e.Source.Port) || ports.IsSessionPort(e.Target.Port)))
                        data++;
                },
            });
            Assert.True(result.Passed, result.Failure);
            return new Sent(result, connections, data);
        }

    }
}

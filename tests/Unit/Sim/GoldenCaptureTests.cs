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
/// The golden capture: the simulated WAN of one chaos run (<c>run --seed 56 --pcap</c>; an even seed, so
/// each session has its own port as by default), committed as
/// captures/sim-seed-56.pcap with its key log. A fresh run must write the same bytes, so any change to
/// what crosses the wire shows as a difference here, to be reviewed and the file regenerated
/// (UPDATE_SNAPSHOTS=1). The capture tools and the Wireshark dissector read it, and what they report
/// is checked against what the run itself says it sent.
/// </summary>
public sealed class GoldenCaptureTests : IDisposable
{
    public const ulong Seed = 56;
    private const string Name = "sim-seed-56";
    private const string Regenerate =
        "UPDATE_SNAPSHOTS=1 dotnet test tests/Unit -c Release --filter FullyQualifiedName~GoldenCaptureTests " +
        "(it runs: dotnet run --project src/MyVpn.Sim -c Release -- run --seed 56 --quiet --pcap captures/sim-seed-56.pcap --keylog captures/sim-seed-56.keys.log)";

    private readonly string _dir = Directory.CreateTempSubdirectory("myvpn-golden-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Committed(string extension) => Path.Combine(Tshark.RepositoryRoot(), "captures", $"{Name}.{extension}");

    [Fact]
    public void A_fresh_run_writes_the_committed_capture_and_key_log_byte_for_byte()
    {
        var (pcap, keys) = (Path.Combine(_dir, "wan.pcap"), Path.Combine(_dir, "wan.keys.log"));

        var error = new StringWriter();
        var exit = SimCommandLine.Run(["run", "--seed", $"{Seed}", "--quiet", "--pcap", pcap, "--keylog", keys],
            new InvocationConfiguration { Output = TextWriter.Null, Error = error });

        Assert.True(exit == 0, error.ToString());
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            File.Copy(pcap, Committed("pcap"), overwrite: true);
            File.Copy(keys, Committed("keys.log"), overwrite: true);
            return;
        }
        AssertSameBytes(Committed("pcap"), pcap);
        AssertSameBytes(Committed("keys.log"), keys);
    }

    [Fact]
    public void Inspect_finds_every_handshake_and_data_packet_the_run_sent_and_no_repeated_iv()
    {
        var sent = Sent.Of(Seed);

        var report = CaptureInspector.Inspect(CaptureReader.Read(Committed("pcap")), new CaptureOptions());

        Assert.True(report.IsClean, report.ToString());
        Assert.Equal(sent.Connections, report.Handshakes.Count);
        Assert.All(report.Handshakes, h => Assert.Equal("ClientHello(97) ServerHello(97) ClientAuth(117) ServerAccept(99)", string.Join(" ", h.Messages)));
        Assert.Equal(sent.DataDatagrams, report.Sessions.Sum(s => s.ToServer.Packets + s.ToClient.Packets));
        Assert.Equal(KeyLog.Read(Committed("keys.log")).Keys.Order(), report.Sessions.Select(s => s.SessionId).Order());
        Assert.Equal(0, RunQuietly(["pcap", "inspect", Committed("pcap")]));
    }

    [Fact]
    public void Decrypt_with_the_run_s_key_log_opens_every_data_packet_to_the_run_s_pings()
    {
        var sent = Sent.Of(Seed);
        var inner = Path.Combine(_dir, "inner.pcap");

        var counts = CaptureDecryptor.Decrypt(CaptureReader.Read(Committed("pcap")), KeyLog.Read(Committed("keys.log")), new CaptureOptions(), inner);

        Assert.Equal(0, counts.AuthenticationFailures);
        Assert.Equal(0, counts.NoKey);
        Assert.Equal(sent.DataDatagrams, counts.Decrypted + counts.Keepalives + counts.RekeyRequests);
        var echoes = PcapFiles.ReadRaw(inner).Select(bytes => new IPv4Packet(new PacketDotNet.Utils.ByteArraySegment(bytes)).Extract<IcmpV4Packet>()).ToList();
        Assert.Equal(counts.Decrypted, echoes.Count);
        Assert.All(echoes, icmp => Assert.True(icmp is not null && PingPayload.TryReadSerial(icmp.PayloadData, out _), "every inner packet is a simulator ping"));
        var requests = echoes.Where(i => i!.TypeCode == IcmpV4TypeCode.EchoRequest).Select(i => PingPayload.TryReadSerial(i!.PayloadData, out var s) ? s : 0).Distinct().Count();
        // Each answered ping's request crossed the tunnel; a ping sent while its client had no session never did.
        Assert.InRange(requests, sent.Result.PingsReplied, sent.Result.PingsSent);
        Assert.Equal(0, RunQuietly(["pcap", "decrypt", Committed("pcap"), "--keylog", Committed("keys.log"), "-o", inner]));
    }

    [Fact]
    public void The_dissector_shows_each_handshake_in_order_and_every_data_packet_the_run_sent()
    {
        var sent = Sent.Of(Seed);

        var data = Tshark.Fields(Committed("pcap"), "myvpn.data.session_id", "myvpn.data.session_id", "myvpn.data.counter", "myvpn.data.direction");
        var handshakes = Tshark.Fields(Committed("pcap"), "myvpn.hs.type", "tcp.stream", "myvpn.hs.type");

        Assert.Equal(sent.DataDatagrams, data.Count);
        Assert.Equal(data.Count, data.Select(r => (r[0], r[1], r[2])).Distinct().Count());
        Assert.Equal(Enumerable.Repeat("1,2,3,4", sent.Connections), handshakes.GroupBy(r => r[0]).Select(g => string.Join(",", g.Select(r => r[1]))));
        Assert.Empty(Tshark.Fields(Committed("pcap"), "myvpn.data.reserved_nonzero || myvpn.data.short || myvpn.hs.malformed || _ws.malformed", "frame.number"));
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
            var result = ChaosScenario.Run(seed, recorders: new ScenarioRecorders
            {
                Wire = e =>
                {
                    if (!WanCapture.IsTransmission(e))
                        return;
                    if (e.Kind == WireKind.Tcp && e.Detail == "SYN")
                        connections++;
                    if (e.Kind == WireKind.Udp && (IsSessionPort(e.Source.Port) || IsSessionPort(e.Target.Port)))
                        data++;
                },
            });
            Assert.True(result.Passed, result.Failure);
            return new Sent(result, connections, data);
        }

        private static bool IsSessionPort(ushort port) =>
            port is >= MyVpn.Protocol.WireFormat.DefaultFirstSessionPort and <= MyVpn.Protocol.WireFormat.DefaultLastSessionPort;
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using MyVpn.Tests.Netns.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace MyVpn.Tests.Netns;

/// <summary>
/// Floods and loss on real links: 50 MB cross the tunnel with the right SHA-256 while junk datagrams hit
/// every session port of the server, and while nftables drops 5 % of the server's WAN packets both ways.
/// The daemon counts every junk datagram it reads as a drop of the expected reason (read with SIGUSR1),
/// stays up and keeps serving.
/// </summary>
public sealed partial class FloodTests(ITestOutputHelper output)
{
    private const int TransferBytes = 50 * 1024 * 1024;

    /// <summary>The flood's bounds: it stops by itself after this long or this many datagrams.</summary>
    private const int FloodSeconds = 90;
    private const int FloodMaxDatagrams = 1_500_000;
    private const int FloodRate = 15_000;

    private static readonly string[] FloodReasons = ["DatagramTooShort", "WrongSession", "AuthenticationFailed", "Replayed"];

    private static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "Scripts", name);

    /// <summary>
    /// From the internet host, random datagrams (0..1500 bytes of random bytes) and well-formed-looking ones
    /// (a real session id with random counters, truncated, oversized, under another session's id, with a
    /// counter past the limit) go round-robin to both sessions' ports and to unused ports of the range,
    /// all through a 50 MB transfer from pc1 to pc2; from pc2, the same kinds hit pc1's client socket.
    /// Every junk datagram a daemon read is a counted drop of its kind's reason (none more, none
    /// uncounted: what it did not count the kernel dropped before it, on the socket's full queue, which
    /// /proc/net/udp shows); the sessions never move to the flood's address nor end; the daemons are
    /// alive, logged nothing alarming and still carry pings.
    /// </summary>
    /// <remarks>
    /// Both receive paths of the sockets: with offloads (UDP GRO, datagrams copied out of coalesced
    /// messages) and without (plain recvmmsg into the batch's buffers).
    /// </remarks>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Fifty_megabytes_cross_intact_while_junk_floods_every_session_port_and_each_junk_datagram_is_a_counted_drop(bool offloads)
    {
        string[] offload = offloads ? [] : ["--no-offload"];
        using var world = VpnWorld.Create();
        var server = await world.StartServer(["--config", world.ServerConfig, .. offload]);
        Assert.True(await server.WaitForOutput(offloads ? "UDP GRO on" : "offloads: off", TimeSpan.FromSeconds(10)), server.ToString());
        var pc1 = await world.StartClient(world.Net.Pc1, "pc1", ["--name", "pc1", "--key-file", world.KeyOf("pc1"), .. offload]);
        await world.StartClient(world.Net.Pc2, "pc2", ["--name", "pc2", "--key-file", world.KeyOf("pc2"), .. offload]);
        var sessions = Sessions(server);
        Assert.Equal(["pc1", "pc2"], sessions.Select(s => s.Name).Order());
        var sessionPorts = sessions.Select(s => s.Port).ToList();
        var unused = Enumerable.Range(40000, 10).Select(p => (ushort)p).Where(p => !sessionPorts.Contains(p)).Take(3).Append((ushort)40999);
        var pc1Port = ClientPort(world.Net.Pc1);

        var atServer = await Flood.Start(world.Net.Internet, server, world.Net.Server, Topology.ServerInternet, sessionPorts, FloodRate, seed: 12,
            [.. sessions.Select(s => $"{s.Port}:{s.Id:x8}"), .. unused.Select(p => p.ToString(CultureInfo.InvariantCulture))]);
        var atClient = await Flood.Start(world.Net.Pc2, pc1, world.Net.Pc1, Topology.Pc1Wan, [pc1Port], FloodRate / 3, seed: 13,
            [$"{pc1Port}:{sessions.Single(s => s.Name == "pc1").Id:x8}"]);

        await TcpTransfer.Run(world.Net.Pc1, world.Net.Pc2, "10.0.0.3", 5001, TransferBytes, () => world.Logs() + atServer.Process + atClient.Process);

        await atServer.StopAndCheck(output, world.Logs);
        await atClient.StopAndCheck(output, world.Logs);
        Assert.DoesNotContain("roamed", server.Output);
        Assert.Equal(sessions, Sessions(server)); // the same two sessions: none lost, none handshook again
        Assert.True(Topology.Ping(world.Net.Pc1, "10.0.0.3", count: 3), world.Logs());
        Assert.True(Topology.Ping(world.Net.Pc2, "10.0.0.2", count: 3), world.Logs());
    }

    /// <summary>udp_flood.py from one namespace at a daemon's ports, and what that daemon counted meanwhile.</summary>
    private sealed class Flood
    {
        private Flood(RunningProcess process, RunningProcess daemon, string daemonNs, IReadOnlyList<ushort> ports,
            Dictionary<string, long> before, long kernelBefore)
        {
            Process = process;
            _daemon = daemon;
            _daemonNs = daemonNs;
            _ports = ports;
            _before = before;
            _kernelBefore = kernelBefore;
        }

        private readonly RunningProcess _daemon;
        private readonly string _daemonNs;
        private readonly IReadOnlyList<ushort> _ports;
        private readonly Dictionary<string, long> _before;
        private readonly long _kernelBefore;

        public RunningProcess Process { get; }

        /// <summary>Reads the daemon's counters, then starts the flood (bounded in time and count) and waits until it runs.</summary>
        public static async Task<Flood> Start(string fromNs, RunningProcess daemon, string daemonNs, string address,
            IReadOnlyList<ushort> sessionPorts, int rate, int seed, string[] targets)
        {
            var before = await DaemonStatus.Drops(daemon);
            var kernelBefore = KernelDrops(daemonNs, sessionPorts);
            string[] bounds = [.. new[] { FloodSeconds, FloodMaxDatagrams, rate, seed }.Select(n => n.ToString(CultureInfo.InvariantCulture))];
            var process = RunningProcess.Start($"flood of {daemon.Label}", fromNs, "python3", [Script("udp_flood.py"), address, .. bounds, .. targets]);
            var flood = new Flood(process, daemon, daemonNs, sessionPorts, before, kernelBefore);
            try
            {
                Assert.True(await process.WaitForOutput("flooding", TimeSpan.FromSeconds(10)), process.ToString());
                return flood;
            }
            catch
            {
                process.Dispose();
                throw;
            }
        }

        /// <summary>
        /// Stops the flood (it must still be running: it overlapped the whole transfer), then waits until the
        /// daemon's counters and the kernel's socket drops account for every datagram sent to a session port
        /// and checks each reason against what the flood says it sent.
        /// </summary>
        public async Task StopAndCheck(ITestOutputHelper output, Func<string> logs)
        {
            using var process = Process;
            Assert.False(process.HasExited, $"the flood stopped before the transfer did\n{process}");
            Assert.Equal(0, await process.Terminate(TimeSpan.FromSeconds(10)));
            var report = JsonDocument.Parse(process.Output.Split('\n').Last(line => line.StartsWith('{'))).RootElement;
            var toSessions = report.GetProperty("to_sessions").GetInt64();
            var expected = report.GetProperty("expect").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
            Assert.True(toSessions > 1_000, process.ToString());

            // what the kernel dropped on a full socket queue the daemon never saw
            Dictionary<string, long> counted;
            long kernel;
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (true)
            {
                counted = DaemonStatus.Delta(_before, await DaemonStatus.Drops(_daemon));
                kernel = KernelDrops(_daemonNs, _ports) - _kernelBefore;
                if (FloodReasons.Sum(counted.GetValueOrDefault) + kernel >= toSessions || waited.Elapsed > TimeSpan.FromSeconds(20))
                    break;
                await Task.Delay(500);
            }
            var summary = $"{_daemon.Label}: sent to session ports {toSessions}, expected {Show(expected)}, counted {Show(counted)}, dropped by the kernel {kernel}";
            output.WriteLine(summary);
            summary += $"\n{process}\n{logs()}";

            Assert.All(FloodReasons, reason => Assert.True(expected.GetValueOrDefault(reason) > 0, summary));
            Assert.All(FloodReasons, reason => Assert.InRange(counted.GetValueOrDefault(reason), 1, expected[reason]));
            Assert.True(FloodReasons.Sum(counted.GetValueOrDefault) + kernel >= toSessions, "junk datagrams went uncounted: " + summary);
            Assert.True(counted.Keys.All(FloodReasons.Contains), "drops of reasons the flood cannot cause: " + summary);
            Assert.False(_daemon.HasExited, summary);
            Assert.DoesNotMatch(Alarming(), _daemon.Output);
        }
    }

    /// <summary>
    /// nftables drops a random 5 % of the packets on the WAN both ways (numgen random): the server's
    /// input drops what pc1 sends, pc1's input drops what the server sends, so each loss happens on the
    /// wire as far as the sender knows (an output rule in the sender's own namespace would refuse the send
    /// with EPERM, which the daemon rightly counts as SendRefused). pc1 sends 50 MB through the full tunnel
    /// to the internet host: they arrive with the sender's SHA-256, the loss really happened both ways, and
    /// it made the server count no drop (a lost datagram is not a replay or a forgery) nor lose the session.
    /// </summary>
    [Fact]
    public async Task Fifty_megabytes_reach_the_internet_host_intact_while_five_percent_of_wan_packets_are_lost_both_ways()
    {
        using var world = VpnWorld.Create();
        var server = await world.StartServer();
        await world.StartClient(world.Net.Pc1, "pc1", "--name", "pc1", "--key-file", world.KeyOf("pc1"), "--default-route");
        string LossRules(string name, string from) => $$"""
            table inet myvpn_test_loss {
                chain {{name}} {
                    type filter hook input priority -10; policy accept;
                    iifname "eth0" ip saddr {{from}} counter
                    iifname "eth0" ip saddr {{from}} numgen random mod 100 < 5 counter drop
                }
            }
            """;
        foreach (var (ns, name, from) in (ReadOnlySpan<(string, string, string)>)[(world.Net.Server, "wan_in", Topology.Pc1Wan), (world.Net.Pc1, "wan_out", Topology.ServerWan)])
        {
            var rules = Path.Combine(world.Directory, $"{name}.nft");
            File.WriteAllText(rules, LossRules(name, from));
            Namespaces.ExecChecked(ns, "nft", "-f", rules);
        }
        // UDP GSO runs cross the veth links as single packets; a wire carries datagrams one by one, so the
        // senders split them as a NIC without segmentation offload would, and each datagram is lost on its own
        foreach (var ns in (string[])[world.Net.Pc1, world.Net.Server])
            Shell.Check("ip", "-n", ns, "link", "set", "dev", "eth0", "gso_max_segs", "1");
        var before = await DaemonStatus.Drops(server);

        await TcpTransfer.Run(world.Net.Pc1, world.Net.Internet, Topology.InternetHost, 5002, TransferBytes, world.Logs);

        long[] Counters(string ns) => NftCounter().Matches(Namespaces.ExecChecked(ns, "nft", "list", "table", "inet", "myvpn_test_loss"))
            .Select(m => long.Parse(m.Groups[1].Value)).ToArray();
        var (serverIn, pc1In) = (Counters(world.Net.Server), Counters(world.Net.Pc1));
        Assert.Equal(2, serverIn.Length);
        Assert.Equal(2, pc1In.Length);
        var (inTotal, inLost, outTotal, outLost) = (serverIn[0], serverIn[1], pc1In[0], pc1In[1]);
        var loss = $"in: {inLost} of {inTotal} lost, out: {outLost} of {outTotal} lost";
        output.WriteLine(loss);
        // the data comes in from pc1 (a packet a datagram), the acks go out to it (a few hundred: the
        // internet host acks GRO'd runs); each way some are lost, in all close to 5 %
        Assert.True(inTotal > TransferBytes / 1500 && outTotal > 200, loss);
        Assert.InRange(inLost / (double)inTotal, 0.03, 0.07);
        Assert.InRange(outLost / (double)outTotal, 0.005, 0.15);

        var counted = DaemonStatus.Delta(before, await DaemonStatus.Drops(server));
        Assert.True(counted.Values.All(c => c == 0), $"the server counted drops under plain loss: {Show(counted)} ({loss})\n{world.Logs()}");
        Assert.False(server.HasExited);
        Assert.DoesNotMatch(Alarming(), server.Output);
        Assert.Single(HandshakeOk().Matches(server.Output)); // the loss cost pc1 no new handshake
        foreach (var ns in (string[])[world.Net.Server, world.Net.Pc1])
            Namespaces.ExecChecked(ns, "nft", "delete", "table", "inet", "myvpn_test_loss");
        Assert.True(Topology.Ping(world.Net.Pc1, Topology.InternetHost, count: 3), world.Logs()); // the same session, still up
    }

    /// <summary>
    /// An nftables rule in the server's own namespace drops every datagram it sends to pc1: the kernel refuses
    /// each send with EPERM, which the server counts as SendRefused (a counted drop, not an error in its log),
    /// and once the rule goes the same session carries pings again.
    /// </summary>
    [Fact]
    public async Task A_firewall_that_refuses_the_servers_sends_makes_counted_SendRefused_drops_and_the_session_survives()
    {
        using var world = VpnWorld.Create();
        var server = await world.StartServer();
        await world.StartClient(world.Net.Pc1, "pc1", "--name", "pc1", "--key-file", world.KeyOf("pc1"));
        Assert.True(Topology.Ping(world.Net.Pc1, "10.0.0.1", count: 1), world.Logs());
        var rules = Path.Combine(world.Directory, "refuse.nft");
        File.WriteAllText(rules, $$"""
            table inet myvpn_test_refuse {
                chain out {
                    type filter hook output priority 0; policy accept;
                    ip daddr {{Topology.Pc1Wan}} meta l4proto udp counter drop
                }
            }
            """);
        var before = await DaemonStatus.Drops(server);
        Namespaces.ExecChecked(world.Net.Server, "nft", "-f", rules);

        Assert.False(Topology.Ping(world.Net.Pc1, "10.0.0.1", count: 3), "the echo replies crossed a rule that drops them");
        var counted = DaemonStatus.Delta(before, await DaemonStatus.Drops(server));
        Assert.True(counted.GetValueOrDefault("SendRefused") >= 3, $"refused sends counted: {Show(counted)}\n{world.Logs()}");
        Assert.Equal(["SendRefused"], counted.Where(kv => kv.Value > 0).Select(kv => kv.Key));

        Namespaces.ExecChecked(world.Net.Server, "nft", "delete", "table", "inet", "myvpn_test_refuse");
        Assert.True(Topology.Ping(world.Net.Pc1, "10.0.0.1", count: 3), world.Logs());
        Assert.False(server.HasExited);
        Assert.DoesNotMatch(Alarming(), server.Output);
        Assert.Single(HandshakeOk().Matches(server.Output));
    }

    private sealed record SessionLine(string Name, ushort Port, uint Id);

    /// <summary>The server's sessions, from its log, in the order they were made.</summary>
    private static List<SessionLine> Sessions(RunningProcess server) =>
        HandshakeOk().Matches(server.Output).Select(m => new SessionLine(m.Groups[1].Value,
            ushort.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
            uint.Parse(m.Groups[3].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture))).ToList();

    /// <summary>The local port of the one UDP socket in a client's namespace (its daemon's).</summary>
    private static ushort ClientPort(string ns)
    {
        var ports = UdpSockets(ns).Select(f => f[1].Split(':')[1]).Distinct().ToList();
        Assert.Single(ports);
        return ushort.Parse(ports[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    /// <summary>The namespace's UDP sockets of both families (a dual-stack socket is listed in /proc/net/udp6).</summary>
    private static IEnumerable<string[]> UdpSockets(string ns) =>
        new[] { "/proc/net/udp", "/proc/net/udp6" }
            .SelectMany(table => Namespaces.ExecChecked(ns, "cat", table).Split('\n').Skip(1))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 12);

    /// <summary>Datagrams the kernel dropped on the UDP sockets bound to these ports (the last column of /proc/net/udp and udp6).</summary>
    private static long KernelDrops(string ns, IEnumerable<ushort> ports)
    {
        var hexPorts = ports.Select(p => p.ToString("X4", CultureInfo.InvariantCulture)).ToHashSet();
        return UdpSockets(ns).Where(f => hexPorts.Contains(f[1].Split(':')[1])).Sum(f => long.Parse(f[^1], CultureInfo.InvariantCulture));
    }

    private static string Show(Dictionary<string, long> counts) => string.Join(", ", counts.Select(kv => $"{kv.Key}={kv.Value}"));

    [GeneratedRegex(@"handshake ok: client (\S+) from \S+ got \S+ on port (\d+) \(session ([0-9a-f]{8})\)")]
    private static partial Regex HandshakeOk();

    /// <summary>What a crash or a fault leaves in a daemon's log: error or critical lines, an unhandled exception.</summary>
    [GeneratedRegex(@"(^|\n)(fail|crit): |Unhandled exception|   at ")]
    private static partial Regex Alarming();

    [GeneratedRegex(@"counter packets (\d+) bytes")]
    private static partial Regex NftCounter();
}

using System.CommandLine;
using MyVpn.Captures;
using MyVpn.Sim.Scenarios;

namespace MyVpn.Sim.Runner;

/// <summary>
/// <c>run --seed N</c>: replays one chaos run, printing its drawn knobs and (unless quiet) its whole
/// trace; <c>--trace FILE</c> writes the trace alone to a file, <c>--pcap FILE</c> the simulated WAN as a
/// capture and <c>--keylog FILE</c> the sessions' keys that decrypt it.
/// </summary>
internal static class RunCommand
{
    public static Command Build()
    {
        var seed = CommandLine.SeedOption();
        var quiet = new Option<bool>("--quiet") { Description = "Print only the drawn knobs and the outcome, not the trace" };
        var trace = new Option<string>("--trace")
        {
            Description = "Write the trace (one line per event on the simulated wire and per scenario event, no engine log) to FILE",
            HelpName = "FILE",
        };
        var pcap = new Option<string>("--pcap")
        {
            Description = "Write the simulated WAN to FILE as a pcap (link type raw IP, virtual time): each datagram, "
                + "handshake segment and IP packet once, as its sender sent it. The same seed writes the same file, byte for byte",
            HelpName = "FILE",
        };
        var keyLog = new Option<string>("--keylog")
        {
            Description = "Write every session's data keys to FILE, in the key log format `myvpn pcap decrypt --keylog` reads",
            HelpName = "FILE",
        };
        var command = new Command("run", """
            Replays the chaos run of one seed: 2-4 clients connect over faulty links (loss, duplication,
            delay, replay), ping each other, the server and 8.8.8.8 while the drawn faults strike (server
            and client restarts, roaming, partitions, forged datagrams), then the network heals and every
            client must reach every other and the internet within a bounded virtual time.
            The seed also picks the server's mode (odd seeds: one-port) and the families (seeds that are
            2 or 3 mod 4 carry IPv6 too: half the pings are ICMPv6, liveness covers both).
            Prints the drawn knobs, the whole trace (one line per event on the simulated wire) with the
            engines' log lines, and the outcome. The same seed gives the same trace, byte for byte.
            Exit status: 0 PASS; 1 FAIL (the first broken invariant or the liveness failure is printed),
            or an output file cannot be written.
            """)
        {
            seed, quiet, trace, pcap, keyLog,
        };
        var ipv6 = CommandLine.Ipv6Options(command, "this run");
        command.SetAction(result =>
        {
            var io = result.InvocationConfiguration;
            TextWriter? traceFile = null;
            WanCapture? capture = null;
            KeyLogWriter? keys = null;
            try
            {
                if (result.GetValue(trace) is { } tracePath)
                    traceFile = Create(tracePath);
                if (result.GetValue(pcap) is { } pcapPath)
                    capture = new WanCapture(pcapPath);
                if (result.GetValue(keyLog) is { } keyLogPath)
                    keys = CreateKeyLog(keyLogPath);
                var logged = new HashSet<string>(StringComparer.Ordinal); // the server and the client each report a session's keys: log them once
                return Run(result.GetValue(seed), result.GetValue(quiet), io.Output, new ScenarioRecorders
                {
                    Trace = traceFile,
                    Wire = capture is null ? null : capture.OnWire,
                    KeyLog = keys is null ? null : k =>
                    {
                        if (logged.Add(KeyLog.Format(k)))
                            keys.Write(k);
                    },
                }, CommandLine.Ipv6Choice(result, ipv6));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                io.Error.WriteLine($"myvpn-sim run: {e.Message}");
                return 1;
            }
            finally
            {
                traceFile?.Dispose();
                capture?.Dispose();
                keys?.Dispose();
            }
        });
        return command;
    }

    /// <param name="ipv6">Override of the seed's family (<see cref="ChaosScenario.Ipv6For"/>); null: the seed's own.</param>
    public static int Run(ulong seed, bool quiet, TextWriter output, ScenarioRecorders? recorders = null, bool? ipv6 = null)
    {
        var (clients, plan) = ChaosScenario.Draw(seed);
        output.WriteLine($"SEED={seed} clients={clients} {(ChaosScenario.SinglePortFor(seed) ? "one-port" : "port-per-session")} " +
                         $"{((ipv6 ?? ChaosScenario.Ipv6For(seed)) ? "ipv4+ipv6" : "ipv4")} {plan}");
        var result = ChaosScenario.Run(seed, quiet ? null : output, recorders: recorders, ipv6: ipv6);
        output.WriteLine($"pings: {result.PingsReplied}/{result.PingsSent} answered; virtual time {result.VirtualTime.TotalSeconds:0.000} s; " +
                         $"{result.TraceLines} trace lines; fingerprint {result.Fingerprint}");
        if (result.Recovery is { } recovery)
            output.WriteLine($"every client reached every other and the internet {recovery.TotalSeconds:0.000} s after the network healed");
        if (result.Passed)
        {
            output.WriteLine("PASS");
            return 0;
        }
        output.WriteLine($"FAIL {result.Failure}");
        return 1;
    }

    private static KeyLogWriter CreateKeyLog(string path)
    {
        try
        {
            return new KeyLogWriter(new FileStream(path, FileMode.Create, FileAccess.Write), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot write {path}: {e.Message}", e);
        }
    }

    private static StreamWriter Create(string path)
    {
        try
        {
            return new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false)) { NewLine = "\n" };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot write {path}: {e.Message}", e);
        }
    }
}

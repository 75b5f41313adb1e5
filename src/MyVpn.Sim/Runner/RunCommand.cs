using System.CommandLine;
using MyVpn.Sim.Scenarios;

namespace MyVpn.Sim.Runner;

/// <summary><c>run --seed N</c>: replays one chaos run, printing its drawn knobs and (unless quiet) its whole trace.</summary>
internal static class RunCommand
{
    public static Command Build()
    {
        var seed = CommandLine.SeedOption();
        var quiet = new Option<bool>("--quiet") { Description = "Print only the drawn knobs and the outcome, not the trace" };
        var ipv6 = new Option<bool>("--ipv6") { Description = "IPv6 inside the tunnel too: half the pings are ICMPv6, and liveness covers both families" };
        var command = new Command("run", """
            Replays the chaos run of one seed: 2-4 clients connect over faulty links (loss, duplication,
            delay, replay), ping each other, the server and 8.8.8.8 while the drawn faults strike (server
            and client restarts, roaming, partitions, forged datagrams), then the network heals and every
            client must reach every other and the internet within a bounded virtual time.
            Prints the drawn knobs, the whole trace (one line per event on the simulated wire) and the outcome.
            Exit status: 0 PASS; 1 FAIL (the first broken invariant or the liveness failure is printed).
            """)
        {
            seed, quiet, ipv6,
        };
        command.SetAction(result => Run(result.GetValue(seed), result.GetValue(quiet), result.InvocationConfiguration.Output, result.GetValue(ipv6)));
        return command;
    }

    public static int Run(ulong seed, bool quiet, TextWriter output, bool ipv6 = false)
    {
        var (clients, plan) = ChaosScenario.Draw(seed);
        output.WriteLine($"SEED={seed} clients={clients} {plan}");
        var result = ChaosScenario.Run(seed, quiet ? null : output, ipv6: ipv6);
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
}

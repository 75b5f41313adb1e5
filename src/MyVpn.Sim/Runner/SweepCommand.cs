using System.CommandLine;
using MyVpn.Sim.Scenarios;

namespace MyVpn.Sim.Runner;

/// <summary>
/// <c>sweep --seeds A-B</c>: a chaos run per seed; each failure is printed with its reproduction line.
/// Runs are independent, so <c>--jobs</c> runs several at once (each run stays single-threaded).
/// </summary>
internal static class SweepCommand
{
    public static Command Build()
    {
        var seeds = new Option<(ulong First, ulong Last)>("--seeds")
        {
            Description = "The seeds to run: a range A-B (inclusive) or one seed N",
            HelpName = "A-B",
            Required = true,
            CustomParser = result => CommandLine.ParseSeedRange(result, "--seeds"),
        };
        var jobs = CommandLine.IntOption("--jobs", "How many seeds run at once (each run stays single-threaded)", Environment.ProcessorCount, 1, 256);
        var command = new Command("sweep", """
            A chaos run per seed (the run command's scenario), several at once; the results do not depend
            on --jobs. Each failure is printed with its drawn knobs, its last trace lines and the line that
            replays it; the summary gives the seeds passed and failed, the pings and the slowest recovery.
            Exit status: 0 every seed passed; 1 some failed.
            """)
        {
            seeds, jobs,
        };
        var ipv6 = CommandLine.Ipv6Options(command, "every run");
        command.SetAction(result =>
        {
            var (first, last) = result.GetRequiredValue(seeds);
            return Run(first, last, result.GetValue(jobs), result.InvocationConfiguration.Output, TimeProvider.System, CommandLine.Ipv6Choice(result, ipv6));
        });
        return command;
    }

    /// <param name="wallClock">Only for the report's elapsed time; each simulated run has its own clock.</param>
    /// <param name="ipv6">Override of every seed's family (<see cref="ChaosScenario.Ipv6For"/>); null: each seed's own.</param>
    public static int Run(ulong first, ulong last, int jobs, TextWriter output, TimeProvider wallClock, bool? ipv6 = null)
    {
        var start = wallClock.GetTimestamp();
        var results = Sweep(first, last, jobs, ipv6);
        var failed = results.Where(r => !r.Passed).ToList();
        foreach (var result in failed)
        {
            output.WriteLine($"FAIL seed={result.Seed} clients={result.Clients}{(result.Ipv6 ? " ipv4+ipv6" : "")} {result.Plan}");
            output.WriteLine($"  {result.Failure}");
            foreach (var line in result.TraceTail.TakeLast(8))
                output.WriteLine($"  | {line}");
            output.WriteLine($"  reproduce: {result.Reproduction}");
        }
        var pings = results.Sum(r => r.PingsSent);
        var slowest = results.Where(r => r.Recovery is not null).MaxBy(r => r.Recovery);
        output.WriteLine($"swept seeds {first}-{last}: {results.Count - failed.Count} passed, {failed.Count} failed, " +
                         $"{pings} pings, {wallClock.GetElapsedTime(start).TotalSeconds:0.0} s");
        if (slowest is not null)
            output.WriteLine($"slowest recovery after healing: {slowest.Recovery!.Value.TotalSeconds:0.0} s (seed {slowest.Seed}; " +
                             $"bound {ChaosScenario.LivenessLimit.TotalSeconds:0} s)");
        return failed.Count == 0 ? 0 : 1;
    }

    /// <summary>The results in seed order, whatever order the runs finished in.</summary>
    public static IReadOnlyList<ScenarioResult> Sweep(ulong first, ulong last, int jobs, bool? ipv6 = null)
    {
        var seeds = new List<ulong>();
        for (var seed = first; seed <= last && seed >= first; seed++)
            seeds.Add(seed);
        return Sweep(seeds, jobs, ipv6);
    }

    /// <summary>The results of <paramref name="seeds"/>, in their order.</summary>
    public static IReadOnlyList<ScenarioResult> Sweep(IReadOnlyList<ulong> seeds, int jobs, bool? ipv6 = null)
    {
        var results = new ScenarioResult[seeds.Count];
        Parallel.For(0, seeds.Count, new ParallelOptions { MaxDegreeOfParallelism = jobs },
            i => results[i] = ChaosScenario.Run(seeds[i], ipv6: ipv6));
        return results;
    }
}

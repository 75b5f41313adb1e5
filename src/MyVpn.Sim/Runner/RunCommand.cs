using MyVpn.Sim.Scenarios;

namespace MyVpn.Sim.Runner;

/// <summary><c>run --seed N</c>: replays one chaos run, printing its drawn knobs and (unless quiet) its whole trace.</summary>
internal static class RunCommand
{
    public static int Run(ulong seed, bool quiet, TextWriter output)
    {
        var (clients, plan) = ChaosScenario.Draw(seed);
        output.WriteLine($"SEED={seed} clients={clients} {plan}");
        var result = ChaosScenario.Run(seed, quiet ? null : output);
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

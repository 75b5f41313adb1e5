using MyVpn.Sim;
using MyVpn.Sim.Runner;
using MyVpn.Sim.Scenarios;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

public sealed class ChaosSweepTests
{
    [Fact]
    public void Two_hundred_seeds_of_chaos_break_no_invariant_and_every_client_recovers()
    {
        var results = SweepCommand.Sweep(1, 200, Environment.ProcessorCount);

        var failures = results.Where(r => !r.Passed).Select(r => $"seed {r.Seed}: {r.Failure}").ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(200, results.Count);
        Assert.True(results.Sum(r => r.PingsReplied) > 200 * 10);
    }

    [Fact]
    public void A_chaos_run_replays_to_the_same_fingerprint()
    {
        var first = ChaosScenario.Run(17);
        var again = ChaosScenario.Run(17);
        var other = ChaosScenario.Run(18);

        Assert.Equal(first.Fingerprint, again.Fingerprint);
        Assert.Equal(first.TraceLines, again.TraceLines);
        Assert.NotEqual(first.Fingerprint, other.Fingerprint);
    }

    [Fact]
    public void The_sweep_draws_every_kind_of_fault()
    {
        var plans = Enumerable.Range(1, 200).Select(s => ChaosScenario.Draw((ulong)s).Plan).ToList();

        Assert.Contains(plans, p => p.Links.LossPerMille > 0);
        Assert.Contains(plans, p => p.Links.DuplicatePerMille > 0);
        Assert.Contains(plans, p => p.Links.DelayMean > p.Links.DelayMin);
        Assert.All(Enum.GetValues<FaultKind>(), kind => Assert.Contains(plans, p => p.Has(kind)));
        Assert.Contains(plans, p => p.Events.Count >= 3);
    }
}

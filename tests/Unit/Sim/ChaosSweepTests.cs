using MyVpn.Sim;
using MyVpn.Sim.Runner;
using MyVpn.Sim.Scenarios;
using Xunit;
using Xunit.Abstractions;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>
/// The chaos sweep: the pinned seeds every run, and fresh seeds that change every run
/// (<see cref="SweepSeeds"/>); a failing seed is reported with the command that replays it.
/// </summary>
public sealed class ChaosSweepTests(ITestOutputHelper log)
{
    [Fact]
    public void The_pinned_seeds_break_no_invariant_and_every_client_recovers()
    {
        var results = SweepCommand.Sweep(SweepSeeds.Pinned, Environment.ProcessorCount);

        Assert.True(results.All(r => r.Passed), Failures(results));
        Assert.Equal(SweepSeeds.Pinned.Count, results.Count);
        Assert.True(results.Sum(r => r.PingsReplied) > results.Count * 10);
    }

    [Fact]
    public void Fresh_seeds_of_this_run_break_no_invariant_and_every_client_recovers()
    {
        log.WriteLine(SweepSeeds.Origin);

        var results = SweepCommand.Sweep(SweepSeeds.Fresh, Environment.ProcessorCount);

        Assert.True(results.All(r => r.Passed), $"{SweepSeeds.Origin}\n{Failures(results)}");
        Assert.Equal(SweepSeeds.Fresh, results.Select(r => r.Seed));
    }

    [Fact]
    public void Fresh_seeds_change_with_the_time_and_the_commit_and_stay_clear_of_the_pinned_ones()
    {
        var noon = new DateTime(2026, 12, 4, 12, 0, 0, DateTimeKind.Utc);
        var first = SweepSeeds.FreshBase("7a55ea4", noon);

        Assert.Equal(first, SweepSeeds.FreshBase("7a55ea4", noon));
        Assert.NotEqual(first, SweepSeeds.FreshBase("7a55ea4", noon.AddSeconds(1)));
        Assert.NotEqual(first, SweepSeeds.FreshBase("8b0b33e", noon));
        Assert.True(first > SweepSeeds.Pinned.Max());
    }

    [Fact]
    public void The_seed_variable_takes_ranges_and_single_seeds_and_names_a_mistake()
    {
        Assert.Equal([5UL, 6, 7, 17], SweepSeeds.Parse("5-7, 17"));
        var error = Assert.Throws<FormatException>(() => SweepSeeds.Parse("9-x"));
        Assert.Contains("MYVPN_SIM_SEEDS: '9-x'", error.Message);
    }

    private static string Failures(IReadOnlyList<ScenarioResult> results) =>
        string.Join("\n", results.Where(r => !r.Passed).Select(r => $"seed {r.Seed}: {r.Failure}\n  reproduce: {r.Reproduction}"));

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

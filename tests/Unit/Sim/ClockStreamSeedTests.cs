using MyVpn.Sim;
using MyVpn.Sim.Scenarios;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>Chaos seeds whose plan draws a clock or stream fault: it strikes (the trace says so), and the run passes.</summary>
public sealed class ClockStreamSeedTests
{
    [Theory]
    [InlineData(2UL, nameof(FaultKind.WallClockStep), "wall clock steps")]
    [InlineData(3UL, nameof(FaultKind.WallClockStep), "wall clock steps")]
    [InlineData(1UL, nameof(FaultKind.HostPause), "pc3 resumes")] // a client
    [InlineData(11UL, nameof(FaultKind.HostPause), "s1 resumes")] // the server
    [InlineData(7UL, nameof(FaultKind.StreamReset), "reset server->client after")]
    [InlineData(9UL, nameof(FaultKind.StreamStall), "moves again")]
    [InlineData(20UL, nameof(FaultKind.StreamStall), "moves again")]
    public void Seed_with_the_fault_passes(ulong seed, string kind, string struck)
    {
        var trace = new StringWriter();

        var result = ChaosScenario.Run(seed, recorders: new ScenarioRecorders { Trace = trace });

        Assert.True(result.Plan.Has(Enum.Parse<FaultKind>(kind)), $"seed {seed} no longer draws {kind}: {result.Plan}");
        Assert.Contains(struck, trace.ToString());
        Assert.True(result.Passed, $"{result.Failure}\nreproduce: {result.Reproduction}");
    }
}

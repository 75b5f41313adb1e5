using MyVpn.Sim.Scenarios;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>The chaos scenario with IPv6 on: pings over both families through the faults, liveness over both, replayable.</summary>
public sealed class Ipv6ChaosTests
{
    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    [InlineData(4UL)]
    [InlineData(5UL)]
    [InlineData(6UL)]
    public void Chaos_seed_with_ipv6_keeps_every_invariant_and_recovers_over_both_families(ulong seed)
    {
        var result = ChaosScenario.Run(seed, ipv6: true);

        Assert.True(result.Passed, $"seed {seed} with IPv6: {result.Failure}\n{string.Join('\n', result.TraceTail)}");
        Assert.NotNull(result.Recovery);
    }

    [Fact]
    public void Chaos_run_with_ipv6_is_the_same_run_for_the_same_seed_and_not_the_ipv4_one()
    {
        var first = ChaosScenario.Run(9, ipv6: true);
        var again = ChaosScenario.Run(9, ipv6: true);
        var ipv4 = ChaosScenario.Run(9);

        Assert.Equal(first.Fingerprint, again.Fingerprint);
        Assert.NotEqual(first.Fingerprint, ipv4.Fingerprint);
        Assert.True(first.PingsSent > ipv4.PingsSent / 2);
    }
}

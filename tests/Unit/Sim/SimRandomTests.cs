using MyVpn.Sim;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

public sealed class SimRandomTests
{
    private static ulong[] Draw(SimRandom random, int count) => Enumerable.Range(0, count).Select(_ => random.NextUInt64()).ToArray();

    [Fact]
    public void Same_seed_gives_the_same_stream()
    {
        Assert.Equal(Draw(new SimRandom(42), 100), Draw(new SimRandom(42), 100));
    }

    [Fact]
    public void Different_seeds_give_different_streams()
    {
        Assert.NotEqual(Draw(new SimRandom(42), 10), Draw(new SimRandom(43), 10));
    }

    [Fact]
    public void A_fork_does_not_depend_on_what_the_parent_drew()
    {
        var untouched = new SimRandom(7);
        var used = new SimRandom(7);
        Draw(used, 1000);

        Assert.Equal(Draw(untouched.Fork("link:pc1->s1"), 50), Draw(used.Fork("link:pc1->s1"), 50));
    }

    [Fact]
    public void Forks_with_different_names_are_independent()
    {
        var random = new SimRandom(7);

        Assert.NotEqual(Draw(random.Fork("a"), 10), Draw(random.Fork("b"), 10));
        Assert.NotEqual(Draw(random.Fork("a"), 10), Draw(new SimRandom(7), 10));
    }

    [Fact]
    public void Next_stays_in_range_and_reaches_both_ends()
    {
        var random = new SimRandom(1);
        var seen = new bool[7];
        for (var i = 0; i < 10_000; i++)
        {
            var value = random.NextInRange(3, 9);
            Assert.InRange(value, 3, 9);
            seen[value - 3] = true;
        }
        Assert.All(seen, Assert.True);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(500)]
    [InlineData(1000)]
    public void Chance_happens_about_per_mille_times_in_a_thousand(int perMille)
    {
        var random = new SimRandom(3);
        var hits = Enumerable.Range(0, 100_000).Count(_ => random.Chance(perMille));

        Assert.InRange(hits, perMille * 100 - 1500, perMille * 100 + 1500);
    }

    [Fact]
    public void Fill_is_deterministic_for_odd_lengths()
    {
        var a = new byte[37];
        var b = new byte[37];
        new SimRandom(9).Fill(a);
        new SimRandom(9).Fill(b);

        Assert.Equal(a, b);
        Assert.Contains(a, x => x != 0);
    }

    [Fact]
    public void Exponential_draws_have_about_the_requested_mean()
    {
        var random = new SimRandom(5);
        var mean = TimeSpan.FromMilliseconds(40);
        var average = Enumerable.Range(0, 50_000).Average(_ => random.Exponential(mean).TotalMilliseconds);

        Assert.InRange(average, 38.0, 42.0);
    }
}

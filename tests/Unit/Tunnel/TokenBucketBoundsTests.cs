using MyVpn.Tunnel;
using Xunit;

namespace MyVpn.Tests.Unit.Tunnel;

/// <summary><see cref="TokenBucket"/> at its edges: its arguments, a clock coarser than the rate, a clock that steps back.</summary>
public sealed class TokenBucketBoundsTests
{
    [Fact]
    public void A_rate_or_burst_below_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBucket(0, 5, 1000, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBucket(5, 0, 1000, 0));
        var smallest = new TokenBucket(1, 1, 1000, 0);
        Assert.Equal(1, smallest.PerSecond);
        Assert.Equal(1, smallest.Burst);
    }

    [Fact]
    public void A_clock_coarser_than_the_rate_refills_a_token_per_tick()
    {
        var bucket = new TokenBucket(perSecond: 100, burst: 2, frequency: 10, now: 0);

        Assert.True(bucket.TryTake(0));
        Assert.True(bucket.TryTake(0));
        Assert.False(bucket.TryTake(0));
        Assert.True(bucket.TryTake(1));
        Assert.False(bucket.TryTake(1));
    }

    [Fact]
    public void Tokens_refill_in_proportion_to_the_time_passed()
    {
        var bucket = new TokenBucket(perSecond: 10, burst: 10, frequency: 1000, now: 0);
        for (var i = 0; i < 10; i++)
            Assert.True(bucket.TryTake(0));

        Assert.False(bucket.TryTake(99)); // a token is 100 ticks
        Assert.True(bucket.TryTake(100));
        Assert.False(bucket.TryTake(150));
        Assert.True(bucket.TryTake(200)); // the 50 ticks at 150 were kept, not lost
    }

    [Fact]
    public void A_clock_that_steps_back_neither_adds_nor_takes_tokens()
    {
        var bucket = new TokenBucket(perSecond: 10, burst: 2, frequency: 1000, now: 1000);
        Assert.True(bucket.TryTake(1000));
        Assert.True(bucket.TryTake(1000));

        Assert.False(bucket.TryTake(500));
        Assert.False(bucket.TryTake(1099));
        Assert.True(bucket.TryTake(1100)); // refilled from 1000, where the clock was before it stepped back
    }
}

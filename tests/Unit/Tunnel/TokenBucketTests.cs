using Microsoft.Extensions.Time.Testing;
using MyVpn.Tunnel;
using Xunit;

namespace MyVpn.Tests.Unit.Tunnel;

/// <summary><see cref="TokenBucket"/> on a fake clock: a burst, then the rate, never more than the burst after a long pause.</summary>
public sealed class TokenBucketTests
{
    [Fact]
    public void Allows_the_burst_then_refuses_until_time_refills_it_at_the_rate()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(perSecond: 10, burst: 5, time.TimestampFrequency, time.GetTimestamp());

        var burst = Enumerable.Range(0, 8).Count(_ => bucket.TryTake(time.GetTimestamp()));
        time.Advance(TimeSpan.FromMilliseconds(250));
        var later = Enumerable.Range(0, 8).Count(_ => bucket.TryTake(time.GetTimestamp()));
        time.Advance(TimeSpan.FromHours(1));
        var afterPause = Enumerable.Range(0, 8).Count(_ => bucket.TryTake(time.GetTimestamp()));

        Assert.Equal(5, burst);
        Assert.Equal(2, later);
        Assert.Equal(5, afterPause);
    }
}

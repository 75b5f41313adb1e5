using Microsoft.Extensions.Time.Testing;
using MyVpn.Diagnostics;
using Xunit;

namespace MyVpn.Tests.Unit.Diagnostics;

/// <summary>One warning line per reason per interval, on virtual time, with the count of what was left out.</summary>
public sealed class WarningLimiterTests
{
    private enum Reason { A, B }

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void First_event_is_logged_the_rest_of_the_interval_only_counted_and_the_next_line_carries_the_count()
    {
        var limiter = new WarningLimiter<Reason>(_time, TimeSpan.FromSeconds(10));

        Assert.True(limiter.ShouldLog(Reason.A, out var first));
        Assert.Equal(0, first);
        for (var i = 0; i < 41; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(200));
            Assert.False(limiter.ShouldLog(Reason.A, out _));
        }
        _time.Advance(TimeSpan.FromMilliseconds(1800)); // 10 s after the first line
        Assert.True(limiter.ShouldLog(Reason.A, out var suppressed));
        Assert.Equal(41, suppressed);

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(limiter.ShouldLog(Reason.A, out var none));
        Assert.Equal(0, none);
    }

    [Fact]
    public void Each_reason_has_its_own_interval_and_count()
    {
        var limiter = new WarningLimiter<Reason>(_time, TimeSpan.FromSeconds(10));

        Assert.True(limiter.ShouldLog(Reason.A, out _));
        Assert.False(limiter.ShouldLog(Reason.A, out _));
        Assert.True(limiter.ShouldLog(Reason.B, out _));
        Assert.False(limiter.ShouldLog(Reason.B, out _));
        Assert.False(limiter.ShouldLog(Reason.B, out _));
        _time.Advance(TimeSpan.FromSeconds(9.999));
        Assert.False(limiter.ShouldLog(Reason.A, out _));
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(limiter.ShouldLog(Reason.A, out var a));
        Assert.True(limiter.ShouldLog(Reason.B, out var b));
        Assert.Equal(2, a);
        Assert.Equal(2, b);
    }

    [Fact]
    public void A_flood_of_a_million_events_over_a_minute_gives_one_line_per_interval_and_loses_no_count()
    {
        var limiter = new WarningLimiter<Reason>(_time, TimeSpan.FromSeconds(10));
        long lines = 0, reported = 0;
        for (var i = 0; i < 1_000_000; i++)
        {
            if (i % 10_000 == 0)
                _time.Advance(TimeSpan.FromSeconds(0.6)); // 100 steps of 0.6 s: 60 s in all
            if (limiter.ShouldLog(Reason.A, out var suppressed))
            {
                lines++;
                reported += suppressed;
            }
        }
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(limiter.ShouldLog(Reason.A, out var rest));

        Assert.InRange(lines, 6, 7);
        Assert.Equal(1_000_000, lines + reported + rest);
    }
}

using MyVpn.Sim;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

public sealed class SimClockTests
{
    [Fact]
    public void Events_run_in_due_time_order_and_ties_in_scheduling_order()
    {
        var clock = new SimClock();
        var order = new List<string>();
        clock.Schedule(TimeSpan.FromMilliseconds(20), () => order.Add("c"));
        clock.Schedule(TimeSpan.FromMilliseconds(10), () => order.Add("a"));
        clock.Schedule(TimeSpan.FromMilliseconds(10), () => order.Add("b"));

        clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal(["a", "b", "c"], order);
        Assert.Equal(TimeSpan.FromSeconds(1), clock.Elapsed);
    }

    [Fact]
    public void Time_is_the_due_time_of_the_running_event()
    {
        var clock = new SimClock();
        TimeSpan seen = default;
        clock.Schedule(TimeSpan.FromMilliseconds(250), () => seen = clock.Elapsed);

        clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromMilliseconds(250), seen);
    }

    [Fact]
    public void Utc_now_and_timestamps_advance_with_virtual_time()
    {
        var clock = new SimClock();
        var start = clock.GetTimestamp();

        clock.RunFor(TimeSpan.FromSeconds(3));

        Assert.Equal(SimClock.Epoch + TimeSpan.FromSeconds(3), clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromSeconds(3), clock.GetElapsedTime(start));
    }

    [Fact]
    public void Timer_fires_once_at_its_due_time()
    {
        var clock = new SimClock();
        var fired = new List<TimeSpan>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.Elapsed), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);

        clock.RunFor(TimeSpan.FromSeconds(10));

        Assert.Equal([TimeSpan.FromSeconds(2)], fired);
    }

    [Fact]
    public void Periodic_timer_fires_every_period()
    {
        var clock = new SimClock();
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        clock.RunFor(TimeSpan.FromSeconds(5.5));

        Assert.Equal(5, fired);
    }

    [Fact]
    public void Changing_a_timer_replaces_its_due_time()
    {
        var clock = new SimClock();
        var fired = new List<TimeSpan>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.Elapsed), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        Assert.True(timer.Change(TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan));
        clock.RunFor(TimeSpan.FromSeconds(10));

        Assert.Equal([TimeSpan.FromSeconds(3)], fired);
    }

    [Fact]
    public void Disposed_or_disarmed_timer_never_fires()
    {
        var clock = new SimClock();
        var fired = 0;
        var disposed = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        using var disarmed = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        disposed.Dispose();
        disarmed.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        clock.RunFor(TimeSpan.FromSeconds(10));

        Assert.Equal(0, fired);
        Assert.False(disposed.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
    }

    [Fact]
    public void Timer_callback_can_rearm_its_own_timer()
    {
        var clock = new SimClock();
        var fired = new List<TimeSpan>();
        ITimer? timer = null;
        timer = clock.CreateTimer(_ =>
        {
            fired.Add(clock.Elapsed);
            if (fired.Count < 3)
                timer!.Change(TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);
        }, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        clock.RunFor(TimeSpan.FromSeconds(20));

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5)], fired);
        timer.Dispose();
    }

    [Fact]
    public void Run_until_stops_as_soon_as_the_condition_holds()
    {
        var clock = new SimClock();
        var count = 0;
        for (var i = 1; i <= 10; i++)
            clock.Schedule(TimeSpan.FromSeconds(i), () => count++);

        var held = clock.RunUntil(() => count == 3, TimeSpan.FromMinutes(1));

        Assert.True(held);
        Assert.Equal(TimeSpan.FromSeconds(3), clock.Elapsed);
    }

    [Fact]
    public void Run_until_gives_up_at_the_limit()
    {
        var clock = new SimClock();

        var held = clock.RunUntil(() => false, TimeSpan.FromSeconds(7));

        Assert.False(held);
        Assert.Equal(TimeSpan.FromSeconds(7), clock.Elapsed);
    }

    [Fact]
    public void A_zero_delay_loop_is_reported_instead_of_hanging()
    {
        var clock = new SimClock();
        void Again() => clock.Schedule(TimeSpan.Zero, Again);
        clock.Schedule(TimeSpan.Zero, Again);

        Assert.Throws<InvalidOperationException>(() => clock.RunFor(TimeSpan.FromSeconds(1)));
    }
}

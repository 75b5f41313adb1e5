namespace MyVpn.Sim;

/// <summary>
/// One host's view of the run's virtual time, over the one <see cref="SimClock"/> and its event queue.
/// Its wall clock (<see cref="GetUtcNow"/>) is the run's plus an offset a <see cref="FaultKind.WallClockStep"/>
/// moves forward or back; its monotonic clock (<see cref="GetTimestamp"/>) is the run's plus a per-host
/// offset (each host booted at another time), so no engine can compare timestamps across hosts without it
/// showing. Its timers are the clock's, except that one coming due while the host is paused
/// (<see cref="SimHost.Pause"/>) runs when the host resumes, once, however many periods it missed.
/// </summary>
internal sealed class HostClock(SimClock clock, SimHost host, TimeSpan monotonicOffset) : TimeProvider
{
    /// <summary>How far this host's wall clock is from the run's (steps add up).</summary>
    public TimeSpan WallOffset { get; private set; }

    /// <summary>This host's monotonic clock minus the run's virtual time.</summary>
    public TimeSpan MonotonicOffset => monotonicOffset;

    public override DateTimeOffset GetUtcNow() => clock.GetUtcNow() + WallOffset;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => clock.GetTimestamp() + monotonicOffset.Ticks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new SimTimer(clock, callback, state, host);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Sets the wall clock <paramref name="by"/> forward (negative: back), as an administrator or a bad NTP server does.</summary>
    public void StepWall(TimeSpan by) => WallOffset += by;
}

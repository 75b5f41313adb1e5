namespace MyVpn.Sim;

/// <summary>
/// Virtual time for a simulated run: a <see cref="TimeProvider"/> whose timers are entries of one
/// <see cref="EventQueue"/>, so timer callbacks and packet deliveries interleave in one repeatable
/// order. Time only moves when the owner runs the queue (<see cref="RunFor"/>, <see cref="RunUntil"/>).
/// </summary>
internal sealed class SimClock : TimeProvider
{
    /// <summary>What <see cref="GetUtcNow"/> says when the run begins.</summary>
    public static readonly DateTimeOffset Epoch = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A safety net: this many events at one instant means something loops without time passing.</summary>
    private const int MaxEventsAtOneInstant = 1_000_000;

    public EventQueue Events { get; } = new();

    /// <summary>Virtual time since the run began.</summary>
    public TimeSpan Elapsed => new(Events.Now);

    public override DateTimeOffset GetUtcNow() => Epoch + Elapsed;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Events.Now;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new SimTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Runs <paramref name="action"/> after <paramref name="delay"/> of virtual time (zero: after what is already due now).</summary>
    public SimEvent Schedule(TimeSpan delay, Action action) =>
        Events.Schedule(Events.Now + Math.Max(0, delay.Ticks), action);

    /// <summary>Runs every event due in the next <paramref name="duration"/>, then sets the time to its end.</summary>
    public void RunFor(TimeSpan duration)
    {
        var end = Events.Now + duration.Ticks;
        RunEventsUntil(end, static () => false);
        Events.AdvanceTo(end);
    }

    /// <summary>
    /// Runs events until <paramref name="condition"/> holds (checked before the first event and after
    /// each) or <paramref name="limit"/> of virtual time has passed. True when the condition held.
    /// </summary>
    public bool RunUntil(Func<bool> condition, TimeSpan limit)
    {
        var end = Events.Now + limit.Ticks;
        if (RunEventsUntil(end, condition))
            return true;
        Events.AdvanceTo(end);
        return condition();
    }

    /// <summary>Runs one event if any is queued; false when the queue is empty.</summary>
    public bool Step() => Events.RunNext(long.MaxValue);

    private bool RunEventsUntil(long end, Func<bool> condition)
    {
        var instant = Events.Now;
        var atInstant = 0;
        while (true)
        {
            if (condition())
                return true;
            if (!Events.RunNext(end))
                return false;
            if (Events.Now != instant)
            {
                instant = Events.Now;
                atInstant = 0;
            }
            else if (++atInstant > MaxEventsAtOneInstant)
            {
                throw new InvalidOperationException(
                    $"more than {MaxEventsAtOneInstant} events at t={Elapsed}: something loops without time passing");
            }
        }
    }
}

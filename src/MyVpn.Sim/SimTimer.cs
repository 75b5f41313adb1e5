namespace MyVpn.Sim;

/// <summary>
/// A <see cref="SimClock"/> timer: each due time is one event in the clock's queue. Follows
/// <see cref="System.Threading.Timer"/>: an infinite due time disarms it, a period of zero or
/// infinite makes it fire once, and <see cref="Change"/> on a disposed timer returns false. A timer of a
/// <paramref name="host"/> that comes due while the host is paused fires once when it resumes.
/// </summary>
internal sealed class SimTimer(SimClock clock, TimerCallback callback, object? state, SimHost? host = null) : ITimer
{
    private SimEvent? _pending;
    private bool _deferred;
    private TimeSpan _period = Timeout.InfiniteTimeSpan;
    private bool _disposed;

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime < TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(dueTime));
        if (period < TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(period));
        if (_disposed)
            return false;
        _pending?.Cancel();
        _pending = null;
        _period = period;
        if (dueTime != Timeout.InfiniteTimeSpan)
            _pending = clock.Schedule(dueTime, Fire);
        return true;
    }

    private void Fire()
    {
        _pending = null;
        // Arm the next period first, so a Change made by the callback wins.
        if (_period != Timeout.InfiniteTimeSpan && _period > TimeSpan.Zero)
            _pending = clock.Schedule(_period, Fire);
        if (host is { Paused: true })
        {
            if (!_deferred)
            {
                _deferred = true;
                host.Defer(FireLate);
            }
            return;
        }
        callback(state);
    }

    /// <summary>The host resumed: the callback it missed runs now, unless the timer was disposed meanwhile.</summary>
    private void FireLate()
    {
        _deferred = false;
        if (!_disposed)
            callback(state);
    }

    public void Dispose()
    {
        _disposed = true;
        _pending?.Cancel();
        _pending = null;
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}

namespace MyVpn.Diagnostics;

/// <summary>
/// Keeps a flood from flooding the log: at most one line per reason per interval. The first event of
/// a reason is logged; the others within the interval are only counted, and the next line logged for
/// that reason carries how many were left out since the last one. Thread-safe; the clock is the
/// caller's <see cref="TimeProvider"/> (virtual in tests).
/// </summary>
/// <typeparam name="TReason">What tells lines apart (an enum): keep its values few, each has an entry.</typeparam>
public sealed class WarningLimiter<TReason> where TReason : notnull
{
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<TReason, Entry> _entries = [];

    public WarningLimiter(TimeProvider time, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        _time = time;
        Interval = interval;
    }

    /// <summary>The default interval: one line per reason every ten seconds.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    public TimeSpan Interval { get; }

    /// <summary>
    /// True when a line for <paramref name="reason"/> should be written now; <paramref name="suppressed"/> is
    /// then how many events of that reason were not logged since its previous line. False: counted, not logged.
    /// </summary>
    public bool ShouldLog(TReason reason, out long suppressed)
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            if (!_entries.TryGetValue(reason, out var entry))
            {
                _entries.Add(reason, new Entry { LastLogged = now });
                suppressed = 0;
                return true;
            }
            if (_time.GetElapsedTime(entry.LastLogged, now) < Interval)
            {
                entry.Suppressed++;
                suppressed = 0;
                return false;
            }
            suppressed = entry.Suppressed;
            entry.Suppressed = 0;
            entry.LastLogged = now;
            return true;
        }
    }

    private sealed class Entry
    {
        public long LastLogged;
        public long Suppressed;
    }
}

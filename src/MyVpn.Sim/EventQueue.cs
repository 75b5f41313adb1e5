namespace MyVpn.Sim;

/// <summary>
/// Everything that will happen in a simulated run, in (due time, sequence number) order: two events
/// due at the same instant run in the order they were scheduled. Single-threaded by design; the one
/// thread that runs the simulation is the only one that touches it.
/// </summary>
internal sealed class EventQueue
{
    private readonly PriorityQueue<SimEvent, (long Due, long Sequence)> _queue = new();
    private long _nextSequence;

    /// <summary>Virtual time in <see cref="TimeSpan"/> ticks since the run began. Never goes back.</summary>
    public long Now { get; private set; }

    /// <summary>Events still queued, cancelled ones included until they come due.</summary>
    public int Count => _queue.Count;

    /// <summary>How many events have run so far.</summary>
    public long Executed { get; private set; }

    /// <summary>Queues <paramref name="action"/> to run at <paramref name="due"/> (the past means now).</summary>
    public SimEvent Schedule(long due, Action action)
    {
        if (due < Now)
            due = Now;
        var e = new SimEvent(due, _nextSequence++, action);
        _queue.Enqueue(e, (e.Due, e.Sequence));
        return e;
    }

    /// <summary>The due time of the next live event, if any.</summary>
    public bool TryPeekDue(out long due)
    {
        while (_queue.TryPeek(out var e, out _))
        {
            if (!e.Cancelled)
            {
                due = e.Due;
                return true;
            }
            _queue.Dequeue();
        }
        due = 0;
        return false;
    }

    /// <summary>Runs the next live event if it is due at or before <paramref name="limit"/>; false when there is none.</summary>
    public bool RunNext(long limit)
    {
        if (!TryPeekDue(out var due) || due > limit)
            return false;
        var e = _queue.Dequeue();
        Now = due;
        Executed++;
        e.Run();
        return true;
    }

    /// <summary>Moves time forward to <paramref name="time"/> without running anything (only forward).</summary>
    public void AdvanceTo(long time)
    {
        if (time > Now)
            Now = time;
    }
}

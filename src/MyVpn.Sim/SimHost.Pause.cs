namespace MyVpn.Sim;

internal sealed partial class SimHost
{
    private readonly List<Action> _deferred = [];
    private SimEvent? _resume;

    /// <summary>This host's clocks (its wall and monotonic offsets) over the run's one clock: what its engine is given.</summary>
    public HostClock Time { get; }

    /// <summary>Stopped (<see cref="Pause"/>): nothing of its engine runs until it resumes.</summary>
    public bool Paused => _resume is not null;

    /// <summary>
    /// The host stops for <paramref name="duration"/>, as a suspended laptop or a stalled VM: its timers,
    /// its sockets' and tun's readiness and its handshake streams' events wait (datagrams queue in the socket
    /// up to its receive buffer; beyond it they are dropped), and at resume each runs once, in the order
    /// it came due, with the host's monotonic time jumped by the pause. Pausing a paused host extends it.
    /// </summary>
    public void Pause(TimeSpan duration)
    {
        var until = Network.Now + Math.Max(0, duration.Ticks);
        if (_resume is { } pending)
        {
            if (pending.Due >= until)
                return;
            pending.Cancel();
        }
        Network.Note($"{Name} pauses for {duration.TotalSeconds:0.0} s");
        _resume = Network.Clock.Events.Schedule(until, Resume);
    }

    /// <summary>Ends a pause now (its time, the heal, or a reboot): everything that waited runs, in order.</summary>
    public void Resume()
    {
        if (_resume is not { } pending)
            return;
        pending.Cancel();
        _resume = null;
        Network.Note($"{Name} resumes ({_deferred.Count} events waited)");
        // What runs now may pause nothing (only the scenario pauses), but may defer nothing either: the host is awake.
        var waiting = _deferred.ToArray();
        _deferred.Clear();
        foreach (var action in waiting)
            action();
    }

    /// <summary>Runs <paramref name="action"/> now, or when the host resumes if it is paused.</summary>
    public void RunOrDefer(Action action)
    {
        if (Paused)
            _deferred.Add(action);
        else
            action();
    }

    /// <summary>Queues <paramref name="action"/> for the resume (the host must be paused).</summary>
    internal void Defer(Action action) => _deferred.Add(action);

    /// <summary>
    /// <paramref name="handler"/> as a readiness callback that waits out a pause: while paused, the first call
    /// is kept for the resume and further ones are dropped (readiness is a level, not a count).
    /// </summary>
    public Action WhenAwake(Action handler)
    {
        var waiting = false;
        return () =>
        {
            if (!Paused)
            {
                handler();
                return;
            }
            if (waiting)
                return;
            waiting = true;
            _deferred.Add(() =>
            {
                waiting = false;
                handler();
            });
        };
    }

    /// <summary>A reboot wakes the machine and forgets what waited for the old one.</summary>
    private void WakeForRestart()
    {
        _deferred.Clear();
        _resume?.Cancel();
        _resume = null;
    }
}

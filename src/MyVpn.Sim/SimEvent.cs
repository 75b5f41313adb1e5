namespace MyVpn.Sim;

/// <summary>
/// One queued event; cancelling it keeps it in the queue but it will not run, and lets go of its
/// action (so a disposed engine's timers do not keep the engine alive until their due time).
/// </summary>
internal sealed class SimEvent(long due, long sequence, Action action)
{
    private Action? _action = action;

    public long Due { get; } = due;
    public long Sequence { get; } = sequence;
    public bool Cancelled => _action is null;

    public void Cancel() => _action = null;

    internal void Run() => _action?.Invoke();
}

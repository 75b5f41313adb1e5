namespace MyVpn.Sim;

/// <summary>One queued event; cancelling it keeps it in the queue but it will not run.</summary>
internal sealed class SimEvent(long due, long sequence, Action action)
{
    public long Due { get; } = due;
    public long Sequence { get; } = sequence;
    public bool Cancelled { get; private set; }

    public void Cancel() => Cancelled = true;

    internal void Run()
    {
        if (!Cancelled)
            action();
    }
}

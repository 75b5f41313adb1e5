using System.Collections.Concurrent;

namespace MyVpn.Cli.Hosting;

/// <summary>
/// Work handed to the host's main thread. Engines raise their events under their lock; the handlers
/// only post here, and the slow part (ioctls, <c>ip route</c>) runs on the main thread.
/// </summary>
internal sealed class HostEvents : IDisposable
{
    private readonly BlockingCollection<Action> _queue = new();

    /// <summary>Queues <paramref name="action"/>; ignored once the host is stopping.</summary>
    public void Post(Action action)
    {
        try
        {
            _queue.TryAdd(action);
        }
        catch (InvalidOperationException)
        {
            // completed: the host is on its way out
        }
    }

    /// <summary>Ends <see cref="RunUntilStopped"/> after the actions already queued.</summary>
    public void Stop() => _queue.CompleteAdding();

    public void RunUntilStopped()
    {
        foreach (var action in _queue.GetConsumingEnumerable())
            action();
    }

    public void Dispose() => _queue.Dispose();
}

using Microsoft.Extensions.Logging;

namespace MyVpn.Linux;

/// <summary>
/// systemd's watchdog (WatchdogSec=) fed from the data path's liveness: every interval (half of
/// WATCHDOG_USEC) it checks that each I/O thread has come round to the nudge it was given one interval
/// earlier, and only then sends WATCHDOG=1. A thread stuck in a callback (a deadlock, a system call that
/// never returns) stops the pings, and systemd kills and restarts the service once WatchdogSec has
/// passed without one. The check runs on a <see cref="TimeProvider"/> timer, on the thread pool, where
/// timers and handshakes run too: a starved pool stops the pings as well.
/// </summary>
internal sealed partial class ServiceWatchdog : IDisposable
{
    private readonly object _gate = new();
    private readonly SystemdNotifier _notifier;
    private readonly Poller[] _pollers;
    private readonly long[] _seen;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private bool _stalled;
    private bool _stopped;

    public ServiceWatchdog(SystemdNotifier notifier, TimeSpan interval, IEnumerable<Poller> pollers, TimeProvider time, ILogger logger)
    {
        _notifier = notifier;
        _logger = logger;
        _pollers = [.. pollers.Distinct()]; // a one-thread set lists its poller twice
        _seen = new long[_pollers.Length];
        NudgeAll();
        _timer = time.CreateTimer(_ => Tick(), null, interval, interval);
    }

    /// <summary>One check: WATCHDOG=1 if every thread answered the last nudge; then nudges them again.</summary>
    public void Tick()
    {
        lock (_gate)
        {
            if (_stopped)
                return;
            Poller? stuck = null;
            for (var i = 0; i < _pollers.Length; i++)
                if (_pollers[i].WakeUps == _seen[i])
                    stuck ??= _pollers[i];
            NudgeAll();
            if (stuck is null)
            {
                _notifier.Watchdog();
                if (_stalled)
                    LogResumed(_logger);
                _stalled = false;
            }
            else if (!_stalled)
            {
                _stalled = true;
                LogStalled(_logger, stuck.Name);
            }
        }
    }

    /// <summary>Remembers each thread's count, then wakes it: the next tick expects a larger count.</summary>
    private void NudgeAll()
    {
        for (var i = 0; i < _pollers.Length; i++)
        {
            _seen[i] = _pollers[i].WakeUps;
            _pollers[i].Nudge();
        }
    }

    public void Dispose()
    {
        lock (_gate)
            _stopped = true;
        _timer.Dispose();
    }

    [LoggerMessage(EventId = 171, Level = LogLevel.Error,
        Message = "watchdog: I/O thread {Thread} has not answered for a whole interval; no WATCHDOG=1 to systemd until it does (systemd restarts the service after WatchdogSec)")]
    private static partial void LogStalled(ILogger logger, string thread);

    [LoggerMessage(EventId = 172, Level = LogLevel.Warning, Message = "watchdog: every I/O thread answers again; WATCHDOG=1 resumed")]
    private static partial void LogResumed(ILogger logger);
}

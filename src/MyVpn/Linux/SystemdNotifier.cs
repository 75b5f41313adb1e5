using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using MyVpn.Linux.Interop;

namespace MyVpn.Linux;

/// <summary>
/// Tells systemd how the daemon is doing, the sd_notify(3) protocol: one datagram of
/// newline-separated <c>KEY=value</c> lines (<c>READY=1</c>, <c>RELOADING=1</c>, <c>STOPPING=1</c>,
/// <c>STATUS=…</c>, <c>WATCHDOG=1</c>) to the AF_UNIX socket named by NOTIFY_SOCKET: a path, or an
/// abstract name written with a leading '@'. Without NOTIFY_SOCKET (not started by systemd with
/// Type=notify) every call does nothing. A failed send is logged (once per run) and never stops the
/// daemon: systemd's view of it is a convenience, the tunnel is what matters.
/// </summary>
internal sealed partial class SystemdNotifier : IDisposable
{
    private readonly UnixDomainSocketEndPoint? _target;
    private readonly Socket? _socket;
    private readonly ILogger _logger;
    private int _failures;

    public SystemdNotifier(string? notifySocket, ILogger logger)
    {
        _logger = logger;
        if (string.IsNullOrEmpty(notifySocket))
            return;
        // an abstract socket's name starts with a NUL byte; systemd writes it with '@'
        _target = new UnixDomainSocketEndPoint(notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    /// <summary>The notifier for this process: NOTIFY_SOCKET from the environment.</summary>
    public static SystemdNotifier FromEnvironment(ILogger logger) =>
        new(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"), logger);

    /// <summary>True when there is a service manager to tell.</summary>
    public bool IsEnabled => _socket is not null;

    /// <summary>Start-up (or a reload) is finished: the tunnel is up.</summary>
    public void Ready(string status) => Send($"READY=1\nSTATUS={OneLine(status)}");

    /// <summary>A reload begins; <see cref="Ready"/> ends it.</summary>
    public void Reloading() => Send($"RELOADING=1\nMONOTONIC_USEC={MonotonicMicroseconds()}");

    /// <summary>The daemon is stopping (undoing its routes and tables).</summary>
    public void Stopping(string status) => Send($"STOPPING=1\nSTATUS={OneLine(status)}");

    /// <summary>A short human text for <c>systemctl status</c>.</summary>
    public void Status(string status) => Send($"STATUS={OneLine(status)}");

    /// <summary>The daemon is alive: resets systemd's watchdog timer.</summary>
    public void Watchdog() => Send("WATCHDOG=1");

    /// <summary>Sends one message; false when there is no socket or the send failed.</summary>
    public bool Send(string message)
    {
        if (_socket is null)
            return false;
        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(message), SocketFlags.None, _target!);
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            if (Interlocked.Increment(ref _failures) == 1)
                LogSendFailed(_logger, _target!.ToString().Replace("\0", "@", StringComparison.Ordinal), e.Message);
            return false;
        }
    }

    /// <summary>A STATUS value is one line: a line break would start a new key.</summary>
    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    /// <summary>CLOCK_MONOTONIC in microseconds, the clock systemd compares MONOTONIC_USEC against.</summary>
    public static unsafe long MonotonicMicroseconds()
    {
        TimeSpec now;
        if (LibC.ClockGetTime(LibC.CLOCK_MONOTONIC, &now) != 0)
            throw ErrnoException.FromLastError("clock_gettime(CLOCK_MONOTONIC)");
        return now.Seconds * 1_000_000 + now.Nanoseconds / 1_000;
    }

    /// <summary>
    /// How often to send WATCHDOG=1: half the WATCHDOG_USEC systemd gives (its WatchdogSec=), as
    /// sd_watchdog_enabled(3) advises; null when there is no watchdog, or it is meant for another
    /// process (WATCHDOG_PID names one that is not <paramref name="processId"/>).
    /// </summary>
    public static TimeSpan? WatchdogInterval(string? watchdogUsec, string? watchdogPid, int processId)
    {
        if (!long.TryParse(watchdogUsec, out var usec) || usec <= 0)
            return null;
        if (!string.IsNullOrEmpty(watchdogPid) && (!int.TryParse(watchdogPid, out var pid) || pid != processId))
            return null;
        return TimeSpan.FromMicroseconds(usec / 2.0);
    }

    /// <summary><see cref="WatchdogInterval(string?, string?, int)"/> from this process's environment.</summary>
    public static TimeSpan? WatchdogInterval() => WatchdogInterval(Environment.GetEnvironmentVariable("WATCHDOG_USEC"),
        Environment.GetEnvironmentVariable("WATCHDOG_PID"), Environment.ProcessId);

    public void Dispose() => _socket?.Dispose();

    [LoggerMessage(EventId = 170, Level = LogLevel.Warning,
        Message = "cannot notify systemd through {Socket}: {Reason} (the daemon goes on; later failures are not logged)")]
    private static partial void LogSendFailed(ILogger logger, string socket, string reason);
}

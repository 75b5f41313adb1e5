using Microsoft.Extensions.Logging;
using MyVpn.Linux;

namespace MyVpn.Cli.Hosting;

/// <summary>
/// The daemon's side of a <c>Type=notify</c> systemd unit: READY=1 once the tunnel is up, from then on
/// WATCHDOG=1 while the I/O threads answer (when the unit sets WatchdogSec=), STATUS= lines for
/// <c>systemctl status</c>, and STOPPING=1 when it shuts down. Outside systemd (no NOTIFY_SOCKET) every
/// call does nothing.
/// </summary>
internal sealed class SystemdService : IDisposable
{
    private readonly SystemdNotifier _notifier;
    private readonly ILogger _logger;
    private ServiceWatchdog? _watchdog;
    private bool _ready;
    private string _status = "";

    /// <summary>How a refused reload's reply starts (the control socket's convention).</summary>
    private const string RefusedPrefix = "error: ";

    internal SystemdService(SystemdNotifier notifier, ILogger logger)
    {
        _notifier = notifier;
        _logger = logger;
    }

    public static SystemdService FromEnvironment(ILogger logger) => new(SystemdNotifier.FromEnvironment(logger), logger);

    /// <summary>The tunnel is up: READY=1 with <paramref name="status"/>; the first time also starts the watchdog over <paramref name="pollers"/>.</summary>
    public void Ready(string status, PollerSet pollers)
    {
        _status = status;
        if (!_notifier.IsEnabled)
            return;
        _notifier.Ready(status);
        if (_ready)
            return;
        _ready = true;
        if (SystemdNotifier.WatchdogInterval() is { } interval)
            _watchdog = new ServiceWatchdog(_notifier, interval, [pollers.Tun, .. pollers.Sockets], TimeProvider.System, _logger);
    }

    /// <summary>
    /// Runs <paramref name="reload"/> between RELOADING=1 and READY=1 and returns its reply (<c>ok</c>… or
    /// <c>error: </c>…). A refused reload leaves the daemon running on the old configuration, so READY=1
    /// follows either way; its STATUS says the reload was refused, and why.
    /// </summary>
    public string Reload(Func<string> reload)
    {
        _notifier.Reloading();
        var reply = "error: the reload failed";
        try
        {
            reply = reload();
        }
        finally
        {
            var firstLine = reply.Split('\n', 2)[0];
            _notifier.Ready(firstLine.StartsWith(RefusedPrefix, StringComparison.Ordinal)
                ? $"{(_status.Length > 0 ? _status + "; " : "")}reload refused: {firstLine[RefusedPrefix.Length..]}"
                : _status);
        }
        return reply;
    }

    /// <summary>A short line for <c>systemctl status</c>.</summary>
    public void Status(string status) => _notifier.Status(status);

    /// <summary>STOPPING=1: the daemon is on its way out (the watchdog stops asking).</summary>
    public void Stopping(string status)
    {
        _watchdog?.Dispose();
        _watchdog = null;
        _notifier.Stopping(status);
    }

    public void Dispose()
    {
        _watchdog?.Dispose();
        _notifier.Dispose();
    }
}

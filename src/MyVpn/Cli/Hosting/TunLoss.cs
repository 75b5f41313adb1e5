using Microsoft.Extensions.Logging;
using MyVpn.Linux;

namespace MyVpn.Cli.Hosting;

/// <summary>
/// What a daemon does when its tun device vanishes (<c>ip link del tun0</c>, a driver unloaded): it stops
/// watching the descriptor at once (a gone device polls as an error for ever, which would spin the tun
/// thread), logs one line, and exits with <see cref="ExitCodes.TunDeviceGone"/>; the service manager's
/// <c>Restart=on-failure</c> starts it again, and the new run creates the device with its address, routes
/// and nftables table. Waiting for the device to come back in place would leave those half-gone.
/// </summary>
internal sealed class TunLoss
{
    private IDisposable? _watch;

    /// <summary>Arms <paramref name="tun"/>: on its loss, <paramref name="exit"/> runs once with the exit status (on the main thread: <paramref name="events"/>).</summary>
    public TunLoss(LinuxTunDevice tun, HostEvents events, ILogger logger, Action<int> exit)
    {
        tun.Vanished = reason =>
        {
            Interlocked.Exchange(ref _watch, null)?.Dispose();
            events.Post(() =>
            {
                HostLog.TunVanished(logger, tun.Name, reason);
                exit(ExitCodes.TunDeviceGone);
            });
        };
    }

    /// <summary>The poller's watch of the device: let go of as soon as the device is gone.</summary>
    public IDisposable Watching(IDisposable watch)
    {
        Volatile.Write(ref _watch, watch);
        return watch;
    }
}

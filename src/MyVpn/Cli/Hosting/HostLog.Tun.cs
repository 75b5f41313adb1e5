using Microsoft.Extensions.Logging;

namespace MyVpn.Cli.Hosting;

internal static partial class HostLog
{
    [LoggerMessage(EventId = 170, Level = LogLevel.Error,
        Message = "tun device {Tun} is gone ({Reason}): exiting with status 5; a restart creates it again with its address, routes and firewall table")]
    public static partial void TunVanished(ILogger logger, string tun, string reason);
}

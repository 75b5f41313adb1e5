using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace MyVpn.Cli.Hosting;

/// <summary>The daemon's log: one line per event on standard error, with a time stamp.</summary>
internal static class Logging
{
    public static ILoggerFactory Create(LogLevel minimum) => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(minimum)
        .AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "HH:mm:ss.fff ";
            options.IncludeScopes = false;
        })
        .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace));
}

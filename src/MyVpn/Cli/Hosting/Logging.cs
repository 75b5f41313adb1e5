using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace MyVpn.Cli.Hosting;

/// <summary>
/// The daemon's log: one line per event on standard error, with a time stamp; under systemd in the
/// journal's form instead (a <c>&lt;N&gt;</c> syslog priority prefix and no time stamp: the journal adds its own).
/// </summary>
internal static class Logging
{
    public static ILoggerFactory Create(LogLevel minimum) => Create(minimum, UnderSystemd(Environment.GetEnvironmentVariable));

    public static ILoggerFactory Create(LogLevel minimum, bool journal) => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(minimum);
        if (journal)
            builder.AddSystemdConsole(options =>
            {
                options.TimestampFormat = null;
                options.IncludeScopes = false;
            });
        else
            builder.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss.fff ";
                options.IncludeScopes = false;
            });
        builder.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
    });

    /// <summary>
    /// Started by systemd: JOURNAL_STREAM (standard error goes to the journal) or INVOCATION_ID (set for
    /// every service) is in the environment.
    /// </summary>
    public static bool UnderSystemd(Func<string, string?> environment) =>
        !string.IsNullOrEmpty(environment("JOURNAL_STREAM")) || !string.IsNullOrEmpty(environment("INVOCATION_ID"));
}

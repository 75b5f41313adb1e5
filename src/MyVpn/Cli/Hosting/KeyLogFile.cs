using Microsoft.Extensions.Logging;
using MyVpn.Captures;

namespace MyVpn.Cli.Hosting;

/// <summary>Opens the --keylog file when one was asked for, and says loudly that it is on.</summary>
internal static partial class KeyLogFile
{
    public static KeyLogWriter? Open(string? path, ILogger logger)
    {
        if (path is null)
            return null;
        KeyLogWriter writer;
        try
        {
            writer = new KeyLogWriter(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"--keylog {path}: {e.Message}", e);
        }
        LogKeyLogOn(logger, path);
        return writer;
    }

    [LoggerMessage(EventId = 130, Level = LogLevel.Warning,
        Message = "writing session keys to {Path}: whoever reads it can decrypt this traffic (turn --keylog off outside debugging)")]
    private static partial void LogKeyLogOn(ILogger logger, string path);
}

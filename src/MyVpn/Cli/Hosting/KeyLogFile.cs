using Microsoft.Extensions.Logging;
using MyVpn.Captures;
using MyVpn.Linux;

namespace MyVpn.Cli.Hosting;

/// <summary>Opens the --keylog file when one was asked for, and says loudly that it is on; a refusal is one line naming the fix.</summary>
internal static partial class KeyLogFile
{
    public static KeyLogWriter? Open(string? path, ILogger logger)
    {
        if (path is null)
            return null;
        KeyLogWriter writer;
        try
        {
            writer = Create(path);
        }
        catch (PrivateFileException e)
        {
            throw new ConfigException($"--keylog {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"--keylog {path}: {e.Message}", e);
        }
        LogKeyLogOn(logger, path);
        return writer;
    }

    /// <summary>
    /// Opens (creating with mode 0600) without following a symbolic link; an existing file must be a
    /// regular file of root or the caller with no access for group or others, checked on the open descriptor.
    /// </summary>
    internal static KeyLogWriter Create(string path)
    {
        var handle = PrivateFile.OpenAppend(path);
        try
        {
            return new KeyLogWriter(new FileStream(handle, FileAccess.Write), path);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    [LoggerMessage(EventId = 130, Level = LogLevel.Warning,
        Message = "writing session keys to {Path}: whoever reads it can decrypt this traffic (turn --keylog off outside debugging)")]
    private static partial void LogKeyLogOn(ILogger logger, string path);
}

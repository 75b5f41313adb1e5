using MyVpn.Protocol;

namespace MyVpn.Captures;

/// <summary>
/// Appends session keys to a key log file, created with mode 0600 (and tightened to 0600 if it
/// already existed). Thread-safe; each line is flushed at once so a crash loses nothing.
/// </summary>
public sealed class KeyLogWriter : IDisposable
{
    private readonly StreamWriter _writer;

    public KeyLogWriter(string path)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.Read,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        var stream = new FileStream(path, options);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _writer = new StreamWriter(stream) { AutoFlush = true };
        if (stream.Length == 0)
            _writer.WriteLine(KeyLog.Header);
        Path = path;
    }

    public string Path { get; }

    public void Write(SessionKeys keys)
    {
        lock (_writer)
            _writer.WriteLine(KeyLog.Format(keys));
    }

    public void Dispose()
    {
        lock (_writer)
            _writer.Dispose();
    }
}

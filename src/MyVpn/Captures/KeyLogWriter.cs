using MyVpn.Protocol;

namespace MyVpn.Captures;

/// <summary>
/// Appends session keys to a key log file opened by the caller for appending (the CLI opens it
/// without following a symbolic link, creates it with mode 0600 and checks an existing one).
/// Thread-safe; each line is flushed at once so a crash loses nothing.
/// </summary>
public sealed class KeyLogWriter : IDisposable
{
    private readonly StreamWriter _writer;

    /// <param name="stream">The open file, writable; the header is written first when it is empty.</param>
    /// <param name="path">The file's name, for messages.</param>
    public KeyLogWriter(Stream stream, string path)
    {
        if (stream.CanSeek)
            stream.Seek(0, SeekOrigin.End);
        _writer = new StreamWriter(stream) { AutoFlush = true };
        if (stream.CanSeek && stream.Length == 0)
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

using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using MyVpn.Linux.Interop;

namespace MyVpn.Linux;

/// <summary>
/// The daemon's control socket: a Unix stream socket (<c>/run/myvpn/&lt;tun&gt;.&lt;netns&gt;.sock</c>, see
/// <see cref="PathFor"/>) on which <c>myvpn status</c> and <c>myvpn reload</c> ask the running daemon
/// something. A client sends one line (a command word, optionally a space and an argument); the reply is text
/// whose first line is <c>ok</c> or <c>error: …</c>, then the connection closes. Commands are handlers
/// registered by name, so the host wires in what the engines can answer without this class knowing them.
/// </summary>
/// <remarks>
/// Access: the directory is made mode 0700 and the socket 0600, both owned by root (the daemon runs as root),
/// so only root can connect; the peer's uid (<c>SO_PEERCRED</c>) is checked as well, against root and the
/// daemon's own uid. One background thread accepts and answers one connection at a time (requests are rare
/// and short); a client that sends nothing is cut off after <see cref="ReadTimeout"/>, so it holds the
/// thread for at most that long and never touches the data path. A stale socket file (a crashed run's:
/// nobody answers on it) is replaced; a live one is refused. The file is removed on <see cref="Dispose"/>.
/// </remarks>
internal sealed partial class ControlSocket : IDisposable
{
    /// <summary>The longest request line accepted, in bytes.</summary>
    public const int MaxRequestLength = 4096;

    /// <summary>How long a client may take to send its request line.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(2);

    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    private readonly Socket _listener;
    private readonly IReadOnlyDictionary<string, Func<string, string>> _handlers;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private readonly uint _ownUid = LibC.GetEffectiveUserId();
    private volatile bool _disposed;

    private ControlSocket(string path, Socket listener, IReadOnlyDictionary<string, Func<string, string>> handlers, ILogger logger)
    {
        Path = path;
        _listener = listener;
        _handlers = handlers;
        _logger = logger;
        _thread = new Thread(AcceptLoop) { IsBackground = true, Name = "myvpn-control" };
        _thread.Start();
    }

    /// <summary>Where the socket is.</summary>
    public string Path { get; }

    /// <summary>The socket of the daemon on <paramref name="tunName"/> in this process's network namespace.</summary>
    public static string PathFor(string tunName) => $"{UndoJournal.Directory}/{tunName}.{UndoJournal.NetworkNamespaceId()}.sock";

    /// <summary>
    /// Listens at <paramref name="path"/> (its directory created, or narrowed, to mode 0700) with the given
    /// handlers, by command name; fails with a <see cref="SetupException"/> if another process listens there.
    /// </summary>
    public static ControlSocket Start(string path, IReadOnlyDictionary<string, Func<string, string>> handlers, ILogger logger)
    {
        var directory = System.IO.Path.GetDirectoryName(path)!;
        try
        {
            Directory.CreateDirectory(directory);
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            RemoveStale(path);
            var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                listener.Bind(new UnixDomainSocketEndPoint(path));
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                listener.Listen(8);
            }
            catch
            {
                listener.Dispose();
                throw;
            }
            return new ControlSocket(path, listener, handlers, logger);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SocketException)
        {
            throw new SetupException($"cannot create the control socket {path}: {e.Message}", e);
        }
    }

    /// <summary>Deletes a socket file nobody listens on; refuses one a live process answers on.</summary>
    private static void RemoveStale(string path)
    {
        if (!File.Exists(path))
            return;
        using (var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                probe.Connect(new UnixDomainSocketEndPoint(path));
                throw new SetupException($"another process listens on the control socket {path}");
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable)
            {
                // stale: left by a run that died
            }
        }
        File.Delete(path);
    }

    private void AcceptLoop()
    {
        while (!_disposed)
        {
            Socket connection;
            try
            {
                connection = _listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (!_disposed)
                    LogAcceptFailed(_logger, e.Message);
                return;
            }
            using (connection)
            {
                try
                {
                    Serve(connection);
                }
                catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
                {
                    LogRequestFailed(_logger, e.Message);
                }
            }
        }
    }

    private void Serve(Socket connection)
    {
        connection.ReceiveTimeout = (int)ReadTimeout.TotalMilliseconds;
        connection.SendTimeout = (int)ReadTimeout.TotalMilliseconds;
        var reply = PeerAllowed(connection) ? Answer(ReadRequest(connection)) : "error: permission denied: only root may use the control socket\n";
        connection.Send(Encoding.UTF8.GetBytes(reply));
        connection.Shutdown(SocketShutdown.Send);
    }

    /// <summary>True when the connecting process runs as root or as the daemon's own user.</summary>
    private bool PeerAllowed(Socket connection)
    {
        Span<byte> credentials = stackalloc byte[12]; // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        if (connection.GetRawSocketOption(SolSocket, SoPeerCred, credentials) < 12)
            return false;
        var uid = BitConverter.ToUInt32(credentials[4..8]);
        return uid == 0 || uid == _ownUid;
    }

    /// <summary>The request line without its newline; null when it is too long or never ends.</summary>
    private static string? ReadRequest(Socket connection)
    {
        var buffer = new byte[MaxRequestLength + 1];
        var length = 0;
        while (length < buffer.Length)
        {
            int read;
            try
            {
                read = connection.Receive(buffer, length, buffer.Length - length, SocketFlags.None);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                return null;
            }
            if (read == 0)
                break;
            var newline = Array.IndexOf(buffer, (byte)'\n', length, read);
            length += read;
            if (newline >= 0)
                return Encoding.UTF8.GetString(buffer, 0, newline).TrimEnd('\r');
        }
        return length is > 0 and <= MaxRequestLength ? Encoding.UTF8.GetString(buffer, 0, length) : null;
    }

    /// <summary>The full reply to one request line.</summary>
    internal string Answer(string? request)
    {
        if (request is null)
            return $"error: no request line (one line of at most {MaxRequestLength} bytes, ending in a newline, within {ReadTimeout.TotalSeconds:0} s)\n";
        var space = request.IndexOf(' ');
        var command = space < 0 ? request : request[..space];
        var argument = space < 0 ? "" : request[(space + 1)..];
        if (!_handlers.TryGetValue(command, out var handler))
        {
            var known = string.Join(", ", _handlers.Keys.Order(StringComparer.Ordinal));
            return $"error: unknown command '{Printable(command)}' (known: {known})\n";
        }
        try
        {
            var reply = handler(argument);
            return reply.EndsWith('\n') ? reply : reply + "\n";
        }
        catch (Exception e)
        {
            LogHandlerFailed(_logger, command, e.ToString());
            return $"error: {command} failed: {e.Message.ReplaceLineEndings(" ")}\n";
        }
    }

    /// <summary>The command as it may be echoed: at most 64 characters, control characters as '?'.</summary>
    private static string Printable(string command)
    {
        var text = command.Length > 64 ? command[..64] + "…" : command;
        return string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
        });
    }

    /// <summary>Stops listening and removes the socket file.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _listener.Dispose();
        _thread.Join(ReadTimeout + TimeSpan.FromSeconds(1));
        try
        {
            File.Delete(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogRemoveFailed(_logger, Path, e.Message);
        }
    }

    [LoggerMessage(EventId = 140, Level = LogLevel.Warning, Message = "control socket: accept failed, no longer listening: {Reason}")]
    private static partial void LogAcceptFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 141, Level = LogLevel.Debug, Message = "control socket: request failed: {Reason}")]
    private static partial void LogRequestFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 142, Level = LogLevel.Warning, Message = "control socket: command '{Command}' failed: {Error}")]
    private static partial void LogHandlerFailed(ILogger logger, string command, string error);

    [LoggerMessage(EventId = 143, Level = LogLevel.Warning, Message = "control socket: cannot remove {Path}: {Reason}")]
    private static partial void LogRemoveFailed(ILogger logger, string path, string reason);
}

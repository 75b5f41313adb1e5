using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using MyVpn.Diagnostics;
using MyVpn.Io;
using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>
/// Accepts handshake connections on the server's TCP port and hands each to the acceptor (the
/// server engine). A backstop behind the engine's own limits: at most <c>maxInFlight</c> connections
/// are open at once and at most <c>maxPerSource</c> from one address (more are closed at once, with a
/// reset: no reply, no TIME_WAIT), and each is cut after <c>timeout</c> whatever the engine does.
/// Its warnings are limited to one line per reason per interval.
/// </summary>
internal sealed partial class TcpHandshakeListener : IDisposable
{
    private readonly Socket _listener;
    private readonly IStreamAcceptor _acceptor;
    private readonly int _maxInFlight;
    private readonly int _maxPerSource;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<TcpStreamConnection> _open = [];
    private readonly Dictionary<IPv6Address, int> _perSource = []; // by NetEndpoint.SourceKey
    private readonly WarningLimiter<Warning> _warnings;
    private readonly Task _acceptLoop;

    private enum Warning { AcceptFailed, TooMany, TooManyFromSource }

    private TcpHandshakeListener(Socket listener, IStreamAcceptor acceptor, int maxInFlight, int maxPerSource, TimeSpan timeout,
        TimeProvider time, ILogger logger)
    {
        _listener = listener;
        _acceptor = acceptor;
        _maxInFlight = maxInFlight;
        _maxPerSource = maxPerSource;
        _warnings = new WarningLimiter<Warning>(time, WarningLimiter<Warning>.DefaultInterval);
        _timeout = timeout;
        _time = time;
        _logger = logger;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public static TcpHandshakeListener Start(NetEndpoint endpoint, IStreamAcceptor acceptor, int maxInFlight, int maxPerSource,
        TimeSpan timeout, TimeProvider time, ILogger logger)
    {
        var listener = InetSocket.For(endpoint, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            ListeningSocket.ReuseAddressOnly(listener);
            listener.Bind(endpoint.ToIPEndPoint());
            listener.Listen(backlog: 128);
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new SetupException($"cannot listen on TCP {endpoint}: {e.Message}{ListeningSocket.Advice(e, "--listen")}", e);
        }
        return new TcpHandshakeListener(listener, acceptor, maxInFlight, maxPerSource, timeout, time, logger);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                if (TcpStreamEnds.From(e.SocketErrorCode) == TcpStreamEnd.Reset)
                    continue; // the client reset before we took it (ECONNABORTED): nothing to serve, nothing wrong here
                if (_warnings.ShouldLog(Warning.AcceptFailed, out var suppressed))
                    LogAcceptFailed(_logger, e.SocketErrorCode.ToString(), suppressed, _warnings.Interval);
                continue;
            }
            Serve(socket);
        }
    }

    private void Serve(Socket socket)
    {
        var remote = NetEndpoint.From((IPEndPoint)socket.RemoteEndPoint!);
        socket.NoDelay = true;
        var connection = new TcpStreamConnection(socket, remote);
        lock (_open)
        {
            var fromSource = _perSource.GetValueOrDefault(remote.SourceKey);
            var refusal = _open.Count >= _maxInFlight ? Warning.TooMany
                : fromSource >= _maxPerSource ? Warning.TooManyFromSource
                : (Warning?)null;
            if (refusal is { } reason)
            {
                if (_warnings.ShouldLog(reason, out var suppressed))
                {
                    if (reason == Warning.TooMany)
                        LogTooMany(_logger, remote, _maxInFlight, suppressed, _warnings.Interval);
                    else
                        LogTooManyFromSource(_logger, remote, _maxPerSource, suppressed, _warnings.Interval);
                }
                CloseWithReset(socket);
                return;
            }
            _open.Add(connection);
            _perSource[remote.SourceKey] = fromSource + 1;
        }
        IStreamHandler handler;
        try
        {
            handler = _acceptor.Accept(connection);
        }
        catch (Exception e)
        {
            LogAcceptorFailed(_logger, remote, e);
            Forget(connection);
            socket.Dispose();
            return;
        }
        _ = RunAsync(connection, handler);
    }

    /// <summary>The cheapest refusal: a reset, no FIN handshake, no TIME_WAIT kept on our side.</summary>
    private static void CloseWithReset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
        }
        socket.Dispose();
    }

    private async Task RunAsync(TcpStreamConnection connection, IStreamHandler handler)
    {
        using var deadline = _time.CreateTimer(_ => connection.Abort(), null, _timeout, Timeout.InfiniteTimeSpan);
        try
        {
            await connection.RunAcceptedAsync(handler);
        }
        catch (Exception e)
        {
            LogHandlerFailed(_logger, connection.RemoteEndpoint, e);
        }
        finally
        {
            Forget(connection);
        }
    }

    private void Forget(TcpStreamConnection connection)
    {
        lock (_open)
        {
            if (!_open.Remove(connection))
                return;
            var address = connection.RemoteEndpoint.SourceKey;
            if (_perSource[address] <= 1)
                _perSource.Remove(address);
            else
                _perSource[address]--;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        _acceptLoop.Wait(TimeSpan.FromSeconds(2));
        TcpStreamConnection[] open;
        lock (_open)
            open = [.. _open];
        foreach (var connection in open)
            connection.Abort();
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "accepting a handshake connection failed: {Error}; {Suppressed} more failures not logged in the {Interval} before")]
    private static partial void LogAcceptFailed(ILogger logger, string error, long suppressed, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "handshake from {Remote} refused: {Limit} connections already open; {Suppressed} more refused for this reason not logged in the {Interval} before")]
    private static partial void LogTooMany(ILogger logger, NetEndpoint remote, int limit, long suppressed, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "handshake from {Remote} refused: {Limit} connections already open from this address; {Suppressed} more refused for this reason not logged in the {Interval} before")]
    private static partial void LogTooManyFromSource(ILogger logger, NetEndpoint remote, int limit, long suppressed, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Error, Message = "the server refused the connection from {Remote}")]
    private static partial void LogAcceptorFailed(ILogger logger, NetEndpoint remote, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "handshake connection from {Remote} failed")]
    private static partial void LogHandlerFailed(ILogger logger, NetEndpoint remote, Exception exception);
}

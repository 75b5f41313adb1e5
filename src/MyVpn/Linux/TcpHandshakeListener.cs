using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using MyVpn.Io;
using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>
/// Accepts handshake connections on the server's TCP port and hands each to the acceptor (the
/// server engine). At most <c>maxInFlight</c> connections are open at once (more are closed at once),
/// and each is cut after <c>timeout</c> whatever the engine does: a backstop against slow clients.
/// </summary>
internal sealed partial class TcpHandshakeListener : IDisposable
{
    private readonly Socket _listener;
    private readonly IStreamAcceptor _acceptor;
    private readonly int _maxInFlight;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<TcpStreamConnection> _open = [];
    private readonly Task _acceptLoop;

    private TcpHandshakeListener(Socket listener, IStreamAcceptor acceptor, int maxInFlight, TimeSpan timeout,
        TimeProvider time, ILogger logger)
    {
        _listener = listener;
        _acceptor = acceptor;
        _maxInFlight = maxInFlight;
        _timeout = timeout;
        _time = time;
        _logger = logger;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public static TcpHandshakeListener Start(UdpEndpoint endpoint, IStreamAcceptor acceptor, int maxInFlight,
        TimeSpan timeout, TimeProvider time, ILogger logger)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(endpoint.ToIPEndPoint());
            listener.Listen(backlog: 128);
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new SetupException($"cannot listen on TCP {endpoint}: {e.Message}", e);
        }
        return new TcpHandshakeListener(listener, acceptor, maxInFlight, timeout, time, logger);
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
                LogAcceptFailed(_logger, e.SocketErrorCode.ToString());
                continue;
            }
            Serve(socket);
        }
    }

    private void Serve(Socket socket)
    {
        var remote = UdpEndpoint.From((IPEndPoint)socket.RemoteEndPoint!);
        socket.NoDelay = true;
        var connection = new TcpStreamConnection(socket, remote);
        lock (_open)
        {
            if (_open.Count >= _maxInFlight)
            {
                LogTooMany(_logger, remote, _maxInFlight);
                socket.Dispose();
                return;
            }
            _open.Add(connection);
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
            _open.Remove(connection);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "accepting a handshake connection failed: {Error}")]
    private static partial void LogAcceptFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "handshake from {Remote} refused: {Limit} handshakes already in flight")]
    private static partial void LogTooMany(ILogger logger, UdpEndpoint remote, int limit);

    [LoggerMessage(Level = LogLevel.Error, Message = "the server refused the connection from {Remote}")]
    private static partial void LogAcceptorFailed(ILogger logger, UdpEndpoint remote, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "handshake connection from {Remote} failed")]
    private static partial void LogHandlerFailed(ILogger logger, UdpEndpoint remote, Exception exception);
}

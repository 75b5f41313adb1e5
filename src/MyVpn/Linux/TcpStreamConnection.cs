using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using MyVpn.Io;
using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>
/// A handshake connection over TCP with .NET's asynchronous sockets (epoll underneath: no thread
/// blocks). One receive loop reports OnConnected, OnData… and finally OnClosed exactly once, so
/// handler calls never overlap; <see cref="Send"/> only queues, and a pump sends in order.
/// </summary>
internal sealed partial class TcpStreamConnection : IStreamConnection
{
    private const int ReceiveBufferBytes = 4096;

    private readonly Socket _socket;
    private readonly object _gate = new();
    private readonly Queue<byte[]> _outgoing = new();
    private readonly CancellationTokenSource _stop = new();
    private bool _connected;
    private bool _sending;
    private bool _closeRequested;

    public TcpStreamConnection(Socket socket, NetEndpoint remote)
    {
        _socket = socket;
        RemoteEndpoint = remote;
    }

    public NetEndpoint RemoteEndpoint { get; }

    /// <summary>How the connection ended (set before the handler's OnClosed); null while it runs.</summary>
    public TcpStreamEnd? Ending { get; private set; }

    /// <summary>The socket error that ended it, in one line; null when it simply closed.</summary>
    public string? EndReason { get; private set; }

    /// <summary>Where a connection ended by a socket error says why (one line, before the handler hears OnClosed); null: nowhere.</summary>
    public ILogger? Logger { get; init; }

    public void Send(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            if (_closeRequested)
                return;
            _outgoing.Enqueue(data.ToArray());
            StartPumpLocked();
        }
    }

    public void Close()
    {
        lock (_gate)
        {
            if (_closeRequested)
                return;
            _closeRequested = true;
            if (!_sending && _outgoing.Count == 0)
                StopLater(); // otherwise the pump stops the connection once the queue is sent
        }
    }

    /// <summary>Ends the connection now, queued bytes or not (timeouts, shutdown).</summary>
    public void Abort()
    {
        lock (_gate)
            _closeRequested = true;
        StopLater();
    }

    /// <summary>
    /// Cancels the receive loop on another thread: callers hold the engine's lock, and the loop's
    /// OnClosed must not run inside their call.
    /// </summary>
    private void StopLater() => _ = _stop.CancelAsync();

    /// <summary>Runs an accepted connection: reports it, then its bytes, then its end.</summary>
    public Task RunAcceptedAsync(IStreamHandler handler) => RunAsync(handler, connect: null);

    /// <summary>Connects, then runs as an accepted connection; a failed connect reports only OnClosed.</summary>
    public Task RunConnectingAsync(IStreamHandler handler, TimeSpan timeout, TimeProvider time) =>
        RunAsync(handler, async token =>
        {
            using var deadline = new CancellationTokenSource(timeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, deadline.Token);
            await _socket.ConnectAsync(RemoteEndpoint.ToIPEndPoint(), linked.Token);
        });

    private async Task RunAsync(IStreamHandler handler, Func<CancellationToken, Task>? connect)
    {
        var token = _stop.Token;
        try
        {
            if (connect is not null)
                await connect(token);
            lock (_gate)
            {
                _connected = true;
                StartPumpLocked();
            }
            handler.OnConnected();
            var buffer = new byte[ReceiveBufferBytes];
            while (!token.IsCancellationRequested)
            {
                var n = await _socket.ReceiveAsync(buffer, SocketFlags.None, token);
                if (n == 0)
                    break;
                handler.OnData(buffer.AsSpan(0, n));
            }
        }
        catch (SocketException e)
        {
            // the peer went away or the connect failed: all end the same way, named for the log
            RecordFailure(e.SocketErrorCode);
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            lock (_gate)
                Ending ??= TcpStreamEnd.TimedOut; // the connect's own deadline, as the simulator's connect timeout
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // we closed
        }
        finally
        {
            lock (_gate)
            {
                _closeRequested = true;
                Ending ??= TcpStreamEnd.Closed;
            }
            if (EndReason is { } reason && Logger is { } logger)
                LogEnded(logger, RemoteEndpoint, reason);
            _socket.Dispose();
            handler.OnClosed();
        }
    }

    private void StartPumpLocked()
    {
        if (_sending || !_connected || _outgoing.Count == 0)
            return;
        _sending = true;
        _ = Task.Run(PumpAsync);
    }

    private async Task PumpAsync()
    {
        while (true)
        {
            byte[] next;
            lock (_gate)
            {
                if (!_outgoing.TryDequeue(out next!))
                {
                    _sending = false;
                    if (_closeRequested)
                        FinishLocked();
                    return;
                }
            }
            try
            {
                await _socket.SendAsync(next, SocketFlags.None, _stop.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                if (e is SocketException failed)
                    RecordFailure(failed.SocketErrorCode); // EPIPE, ECONNRESET: the receive loop ends it
                lock (_gate)
                {
                    _sending = false;
                    _outgoing.Clear();
                }
                StopLater();
                return;
            }
        }
    }

    /// <summary>The first failure names the end; what follows from it (the other loop's error) does not.</summary>
    private void RecordFailure(SocketError error)
    {
        lock (_gate)
        {
            if (Ending is not null)
                return;
            Ending = TcpStreamEnds.From(error);
            EndReason = TcpStreamEnds.Describe(error);
        }
    }

    /// <summary>Everything queued is sent: say goodbye (FIN) and stop the receive loop.</summary>
    private void FinishLocked()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        StopLater();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "handshake connection with {Remote}: {Reason}")]
    private static partial void LogEnded(ILogger logger, NetEndpoint remote, string reason);
}

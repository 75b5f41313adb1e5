using System.Net.Sockets;
using MyVpn.Io;
using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>
/// A handshake connection over TCP with .NET's asynchronous sockets (epoll underneath: no thread
/// blocks). One receive loop reports OnConnected, OnData… and finally OnClosed exactly once, so
/// handler calls never overlap; <see cref="Send"/> only queues, and a pump sends in order.
/// </summary>
internal sealed class TcpStreamConnection : IStreamConnection
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
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the peer went away, the connect failed, or we closed: all end the same way
        }
        finally
        {
            lock (_gate)
                _closeRequested = true;
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
}

using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>
/// A tiny HTTP/1.1 server for the metrics: listens on one TCP address, and on its own thread
/// (<c>myvpn-metrics</c>) serves one connection at a time: reads the request head (at most
/// <see cref="_maxRequestHead"/> bytes, within <see cref="Timeout"/>), answers what <see cref="_respond"/>
/// makes of it, closes. Scrapes are rare and small; a client that stalls holds the next one up for at
/// most the timeout. Nothing here touches the engines.
/// </summary>
internal sealed partial class MetricsEndpoint : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly Socket _listener;
    private readonly Func<string, byte[]> _respond;
    private readonly int _maxRequestHead;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private volatile bool _stopped;

    private MetricsEndpoint(Socket listener, Func<string, byte[]> respond, int maxRequestHead, ILogger logger)
    {
        _listener = listener;
        _respond = respond;
        _maxRequestHead = maxRequestHead;
        _logger = logger;
        _thread = new Thread(Serve) { IsBackground = true, Name = "myvpn-metrics" };
        _thread.Start();
    }

    /// <summary>The address actually bound (the port is the kernel's choice when 0 was asked for).</summary>
    public NetEndpoint LocalEndpoint => NetEndpoint.From((System.Net.IPEndPoint)_listener.LocalEndPoint!);

    /// <param name="respond">Request head in, full response out.</param>
    public static MetricsEndpoint Start(NetEndpoint endpoint, Func<string, byte[]> respond, int maxRequestHead, ILogger logger)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            ListeningSocket.ReuseAddressOnly(listener);
            listener.Bind(endpoint.ToIPEndPoint());
            listener.Listen(16);
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new SetupException($"cannot listen on TCP {endpoint} for metrics: {e.Message}{ListeningSocket.Advice(e, "--metrics-listen")}", e);
        }
        return new MetricsEndpoint(listener, respond, maxRequestHead, logger);
    }

    private void Serve()
    {
        while (!_stopped)
        {
            Socket connection;
            try
            {
                connection = _listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (!_stopped)
                    LogFailed(_logger, "accept", e.Message);
                if (e is ObjectDisposedException)
                    return;
                continue;
            }
            using (connection)
            {
                try
                {
                    connection.ReceiveTimeout = (int)Timeout.TotalMilliseconds;
                    connection.SendTimeout = (int)Timeout.TotalMilliseconds;
                    connection.Send(_respond(ReadHead(connection)));
                    connection.Shutdown(SocketShutdown.Both);
                }
                catch (SocketException e)
                {
                    LogFailed(_logger, "request", e.Message);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // a failure to collect must not end the daemon: this scrape goes unanswered, the next is served
                    LogCollectFailed(_logger, e.GetType().Name, e.Message);
                }
            }
        }
    }

    /// <summary>Reads up to the blank line that ends the head, the connection's end, or the size limit.</summary>
    private string ReadHead(Socket connection)
    {
        var buffer = new byte[_maxRequestHead];
        var length = 0;
        while (length < buffer.Length)
        {
            var n = connection.Receive(buffer, length, buffer.Length - length, SocketFlags.None);
            if (n == 0)
                break;
            length += n;
            if (buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0 || buffer.AsSpan(0, length).IndexOf("\n\n"u8) >= 0)
                break;
        }
        return Encoding.ASCII.GetString(buffer, 0, length);
    }

    public void Dispose()
    {
        _stopped = true;
        _listener.Dispose(); // fails the pending Accept
        _thread.Join();
    }

    [LoggerMessage(EventId = 150, Level = LogLevel.Debug, Message = "metrics endpoint: {What} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string what, string error);

    [LoggerMessage(EventId = 152, Level = LogLevel.Warning, Message = "metrics endpoint: answering a scrape failed, connection closed: {Type}: {Error}")]
    private static partial void LogCollectFailed(ILogger logger, string type, string error);
}

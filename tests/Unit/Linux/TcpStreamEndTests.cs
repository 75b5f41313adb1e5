using System.Net;
using System.Net.Sockets;
using MyVpn.Io;
using MyVpn.Linux;
using MyVpn.Net;
using Xunit;

namespace MyVpn.Tests.Unit.Linux;

/// <summary>
/// The kernel's errors on a handshake connection end it as the simulator's streams end: the handler hears
/// OnClosed once (the handshake fails and is retried), and the end is named for the log.
/// </summary>
public sealed class TcpStreamEndTests
{
    [Theory]
    [InlineData(SocketError.ConnectionReset, nameof(TcpStreamEnd.Reset), "ECONNRESET")]
    [InlineData(SocketError.ConnectionAborted, nameof(TcpStreamEnd.Reset), "ECONNABORTED")]
    [InlineData(SocketError.Shutdown, nameof(TcpStreamEnd.Reset), "EPIPE")]
    [InlineData(SocketError.ConnectionRefused, nameof(TcpStreamEnd.Refused), "ECONNREFUSED")]
    [InlineData(SocketError.HostUnreachable, nameof(TcpStreamEnd.Unreachable), "EHOSTUNREACH")]
    [InlineData(SocketError.NetworkUnreachable, nameof(TcpStreamEnd.Unreachable), "ENETUNREACH")]
    [InlineData(SocketError.HostDown, nameof(TcpStreamEnd.Unreachable), "EHOSTDOWN")]
    [InlineData(SocketError.NetworkDown, nameof(TcpStreamEnd.Unreachable), "ENETDOWN")]
    [InlineData(SocketError.TimedOut, nameof(TcpStreamEnd.TimedOut), "ETIMEDOUT")]
    [InlineData(SocketError.NoBufferSpaceAvailable, nameof(TcpStreamEnd.Failed), "NoBufferSpaceAvailable")]
    [InlineData(SocketError.TooManyOpenSockets, nameof(TcpStreamEnd.Failed), "TooManyOpenSockets")]
    public void A_kernel_error_maps_to_the_simulators_end_and_is_named_in_one_line(SocketError error, string end, string named)
    {
        Assert.Equal(Enum.Parse<TcpStreamEnd>(end), TcpStreamEnds.From(error));
        var line = TcpStreamEnds.Describe(error);
        Assert.Contains(named, line);
        Assert.DoesNotContain('\n', line);
    }

    [Theory]
    [InlineData(SocketError.OperationAborted)]
    [InlineData(SocketError.Interrupted)]
    public void Our_own_cancel_is_a_plain_close(SocketError error) =>
        Assert.Equal(TcpStreamEnd.Closed, TcpStreamEnds.From(error));

    [Fact]
    public async Task A_connect_to_a_closed_loopback_port_is_refused_and_reported_closed_once()
    {
        var handler = new EndHandler();
        var connection = new TcpStreamConnection(NewSocket(), FreeLoopbackPort());

        await connection.RunConnectingAsync(handler, TimeSpan.FromSeconds(30), TimeProvider.System).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((0, 1), (handler.Connected, handler.Closed));
        Assert.Equal(TcpStreamEnd.Refused, connection.Ending);
        Assert.Contains("ECONNREFUSED", connection.EndReason);
    }

    [Fact]
    public async Task A_peer_that_resets_ends_the_connection_as_reset()
    {
        using var listener = Listen(out var endpoint);
        var handler = new EndHandler();
        var connection = new TcpStreamConnection(NewSocket(), endpoint);

        var running = connection.RunConnectingAsync(handler, TimeSpan.FromSeconds(30), TimeProvider.System);
        using (var accepted = await listener.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(30)))
        {
            await handler.Opened.Task.WaitAsync(TimeSpan.FromSeconds(30));
            accepted.LingerState = new LingerOption(true, 0); // close with RST
        }
        await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((1, 1), (handler.Connected, handler.Closed));
        Assert.Equal(TcpStreamEnd.Reset, connection.Ending);
        Assert.Contains("ECONNRESET", connection.EndReason);
    }

    [Fact]
    public async Task A_peer_that_closes_ends_the_connection_without_a_reason()
    {
        using var listener = Listen(out var endpoint);
        var handler = new EndHandler();
        var connection = new TcpStreamConnection(NewSocket(), endpoint);

        var running = connection.RunConnectingAsync(handler, TimeSpan.FromSeconds(30), TimeProvider.System);
        using (var accepted = await listener.AcceptAsync().WaitAsync(TimeSpan.FromSeconds(30)))
        {
            await handler.Opened.Task.WaitAsync(TimeSpan.FromSeconds(30));
            accepted.Shutdown(SocketShutdown.Send); // FIN
        }
        await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((1, 1), (handler.Connected, handler.Closed));
        Assert.Equal(TcpStreamEnd.Closed, connection.Ending);
        Assert.Null(connection.EndReason);
    }

    private static Socket NewSocket() => new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    private static Socket Listen(out NetEndpoint endpoint)
    {
        var listener = NewSocket();
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        endpoint = NetEndpoint.Parse(listener.LocalEndPoint!.ToString()!);
        return listener;
    }

    private static NetEndpoint FreeLoopbackPort()
    {
        using var probe = NewSocket();
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return NetEndpoint.Parse(probe.LocalEndPoint!.ToString()!);
    }

    private sealed class EndHandler : IStreamHandler
    {
        public int Connected;
        public int Closed;
        public readonly TaskCompletionSource Opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnConnected()
        {
            Interlocked.Increment(ref Connected);
            Opened.TrySetResult();
        }

        public void OnData(ReadOnlySpan<byte> data)
        {
        }

        public void OnClosed() => Interlocked.Increment(ref Closed);
    }
}

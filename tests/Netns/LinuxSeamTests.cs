using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using MyVpn.Io;
using MyVpn.Linux;
using MyVpn.Net;
using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>The Linux implementations of the I/O seams, each on its own against the real kernel.</summary>
public sealed class LinuxSeamTests
{
    [Fact]
    public void Tun_device_reads_a_ping_without_blocking_and_its_reply_reaches_ping()
    {
        var ns = NamespacePrefix.Next() + "-tun";
        Namespaces.Add(ns);
        try
        {
            using var tun = NamespaceThread.Run(ns, () =>
            {
                var device = LinuxTunDevice.Open("tunt0");
                NetInterface.SetMtu(device.Name, 1400);
                NetInterface.DisableIPv6(device.Name);
                NetInterface.SetAddress(device.Name, IPv4Address.Parse("10.9.0.1"), 24);
                NetInterface.SetUp(device.Name);
                return device;
            });
            var buffers = new[] { new PacketBuffer(2048), new PacketBuffer(2048) };
            while (tun.Read(buffers) > 0) { } // drains what the kernel sent on link up; a blocking read would hang here
            var answered = 0;
            using var poller = new Poller(NullLogger.Instance);
            using var watch = poller.Watch(tun.Handle, () =>
            {
                int n;
                while ((n = tun.Read(buffers)) > 0)
                    for (var i = 0; i < n; i++)
                        if (IcmpEcho.ReplyTo(buffers[i].Span) is { } reply)
                        {
                            var packet = new PacketBuffer(2048);
                            packet.Set(reply);
                            tun.Write([packet]);
                            Interlocked.Increment(ref answered);
                        }
            });

            var ping = Namespaces.Exec(ns, "ping", "-n", "-c", "2", "-i", "0.2", "-W", "2", "10.9.0.2");

            Assert.True(ping.Succeeded, ping.ToString());
            Assert.Equal(2, answered);
            Assert.Contains("tunt0", Namespaces.ExecChecked(ns, "ip", "-br", "link"));
        }
        finally
        {
            Namespaces.Delete(ns);
        }
    }

    [Fact]
    public async Task Udp_binder_calls_back_when_datagrams_wait_and_sends_the_reply()
    {
        using var poller = new Poller(NullLogger.Instance);
        var binder = new LinuxUdpBinder(poller, IPv4Address.Parse("127.0.0.1"));
        var received = new TaskCompletionSource<(string Text, NetEndpoint From)>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var transport = binder.Bind(0, t =>
        {
            var buffers = new[] { new PacketBuffer(2048) };
            while (t.Receive(buffers) > 0)
                received.TrySetResult((Encoding.ASCII.GetString(buffers[0].Span), buffers[0].Endpoint));
        });
        using var peer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        await peer.SendAsync(Encoding.ASCII.GetBytes("ping"), transport.LocalEndpoint.ToIPEndPoint());
        var (text, from) = await received.Task.WaitAsync(TimeSpan.FromSeconds(5));
        var reply = new PacketBuffer(2048) { Endpoint = from };
        reply.Set(Encoding.ASCII.GetBytes("pong"));
        transport.Send([reply]);
        var answer = await peer.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal("ping", text);
        Assert.Equal(((IPEndPoint)peer.Client.LocalEndPoint!).Port, from.Port);
        Assert.Equal("pong", Encoding.ASCII.GetString(answer.Buffer));
        Assert.Equal(0, transport.Receive(new[] { new PacketBuffer(2048) }));
    }

    [Fact]
    public async Task Udp_binder_spreads_sockets_over_the_socket_pollers_and_reads_each_on_one_thread_only()
    {
        using var pollers = new PollerSet(NullLoggerFactory.Instance, socketThreads: 2);
        var binder = new LinuxUdpBinder(pollers.Sockets, IPv4Address.Parse("127.0.0.1"));
        const int Sockets = 4, PerSocket = 50;
        var threads = Enumerable.Range(0, Sockets).Select(_ => new System.Collections.Concurrent.ConcurrentDictionary<string, int>()).ToArray();
        var counts = new int[Sockets];
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var remaining = Sockets * PerSocket;
        var transports = Enumerable.Range(0, Sockets).Select(i => binder.Bind(0, t =>
        {
            var buffers = new[] { new PacketBuffer(2048) };
            while (t.Receive(buffers) > 0)
            {
                threads[i][Thread.CurrentThread.Name ?? "?"] = 1;
                counts[i]++;
                if (Interlocked.Decrement(ref remaining) == 0)
                    all.TrySetResult();
            }
        })).ToArray();
        using var peer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        for (var n = 0; n < PerSocket; n++)
        {
            foreach (var transport in transports)
                await peer.SendAsync(Encoding.ASCII.GetBytes($"d{n}"), transport.LocalEndpoint.ToIPEndPoint());
        }
        await all.Task.WaitAsync(TimeSpan.FromSeconds(10));
        foreach (var transport in transports)
            transport.Dispose();

        Assert.All(counts, c => Assert.Equal(PerSocket, c));
        var readers = threads.Select(t => Assert.Single(t.Keys)).ToArray();
        Assert.Equal(["myvpn-udp0", "myvpn-udp0", "myvpn-udp1", "myvpn-udp1"], readers.Order());
        Assert.All(pollers.Sockets, p => Assert.Equal(0, p.Watched));
    }

    [Fact]
    public async Task Udp_transport_receives_a_batch_in_one_call_and_sends_a_batch_to_several_peers()
    {
        using var transport = new LinuxUdpTransport(BoundLoopbackSocket());
        using var a = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var b = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        for (var i = 0; i < 10; i++)
            await (i % 2 == 0 ? a : b).SendAsync(Encoding.ASCII.GetBytes($"d{i}"), transport.LocalEndpoint.ToIPEndPoint());
        var buffers = Enumerable.Range(0, 16).Select(_ => new PacketBuffer(2048)).ToArray();
        foreach (var buffer in buffers)
            buffer.Offset = 0;

        var received = transport.Receive(buffers); // loopback delivers within sendto: all ten are queued

        Assert.Equal(10, received);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal($"d{i}", Encoding.ASCII.GetString(buffers[i].Span));
            Assert.Equal(LocalPort(i % 2 == 0 ? a : b), buffers[i].Endpoint.Port);
        }

        var replies = Enumerable.Range(0, 6).Select(i =>
        {
            var reply = new PacketBuffer(70_000) { Endpoint = NetEndpoint.From((IPEndPoint)(i % 2 == 0 ? a : b).Client.LocalEndPoint!) };
            reply.Set(i == 2 ? new byte[66_000] : Encoding.ASCII.GetBytes($"r{i}")); // r2 is too big for UDP: dropped alone
            return reply;
        }).ToArray();
        transport.Send(replies);

        Assert.Equal(["r0", "r4"], [await ReceiveText(a), await ReceiveText(a)]);
        Assert.Equal(["r1", "r3", "r5"], [await ReceiveText(b), await ReceiveText(b), await ReceiveText(b)]);
        Assert.Equal(1, transport.SendFailures);
    }

    private static Socket BoundLoopbackSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { Blocking = false };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static int LocalPort(UdpClient client) => ((IPEndPoint)client.Client.LocalEndPoint!).Port;

    private static async Task<string> ReceiveText(UdpClient client) =>
        Encoding.ASCII.GetString((await client.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(5))).Buffer);

    [Fact]
    public void Udp_binder_reports_a_taken_port()
    {
        using var poller = new Poller(NullLogger.Instance);
        var binder = new LinuxUdpBinder(poller, IPv4Address.Parse("127.0.0.1"));
        using var first = binder.Bind(0, _ => { });

        var error = Assert.Throws<PortUnavailableException>(() => binder.Bind(first.LocalEndpoint.Port, _ => { }));

        Assert.Equal(first.LocalEndpoint.Port, error.Port);
    }

    [Fact]
    public async Task Tcp_transport_carries_a_request_and_a_reply_and_reports_close_once()
    {
        var server = new EchoOnceAcceptor();
        var endpoint = new NetEndpoint(IPv4Address.Parse("127.0.0.1"), FreeTcpPort());
        using var listener = TcpHandshakeListener.Start(endpoint, server, maxInFlight: 4, maxPerSource: 4, TimeSpan.FromSeconds(10),
            TimeProvider.System, NullLogger.Instance);
        var connector = new TcpStreamConnector(TimeSpan.FromSeconds(5), TimeProvider.System);
        var client = new RecordingHandler();

        var connection = connector.Connect(endpoint, client);
        connection.Send(Encoding.ASCII.GetBytes("hello"));
        await client.Closed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["connected", "data:HELLO", "closed"], client.Events);
    }

    [Fact]
    public async Task Tcp_reply_queued_and_closed_at_accept_time_still_reaches_the_client()
    {
        var server = new RefuseAtAcceptAcceptor();
        var endpoint = new NetEndpoint(IPv4Address.Parse("127.0.0.1"), FreeTcpPort());
        using var listener = TcpHandshakeListener.Start(endpoint, server, maxInFlight: 4, maxPerSource: 4, TimeSpan.FromSeconds(10),
            TimeProvider.System, NullLogger.Instance);
        var client = new RecordingHandler();

        new TcpStreamConnector(TimeSpan.FromSeconds(5), TimeProvider.System).Connect(endpoint, client);
        await client.Closed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["connected", "data:busy", "closed"], client.Events);
    }

    [Fact]
    public async Task Tcp_listener_resets_connections_beyond_its_per_source_limit_and_logs_them_once()
    {
        var server = new HoldingAcceptor();
        var log = new CountingLogger();
        var endpoint = new NetEndpoint(IPv4Address.Parse("127.0.0.1"), FreeTcpPort());
        using var listener = TcpHandshakeListener.Start(endpoint, server, maxInFlight: 100, maxPerSource: 2, TimeSpan.FromSeconds(60),
            TimeProvider.System, log);
        using var first = new TcpClient();
        using var second = new TcpClient();
        await first.ConnectAsync(IPAddress.Loopback, endpoint.Port);
        await second.ConnectAsync(IPAddress.Loopback, endpoint.Port);
        Assert.True(await Eventually.Holds(() => server.Accepted == 2, TimeSpan.FromSeconds(10)));

        for (var i = 0; i < 20; i++)
        {
            // the kernel completes the connection; the listener resets it, maybe before the connect returns
            Assert.True(await RefusedWithoutData(endpoint.Port), $"refused connection {i} was not closed");
        }
        Assert.Equal(2, server.Accepted);
        Assert.Equal(1, log.Warnings); // 20 refusals of one reason: one line

        first.Close(); // a slot for this address again
        Assert.True(await Eventually.Holds(() => server.Closed == 1, TimeSpan.FromSeconds(10)));
        using var again = new TcpClient();
        await again.ConnectAsync(IPAddress.Loopback, endpoint.Port);
        Assert.True(await Eventually.Holds(() => server.Accepted == 3, TimeSpan.FromSeconds(10)));
    }

    private static async Task<bool> RefusedWithoutData(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            var buffer = new byte[16];
            return await client.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10)) == 0;
        }
        catch (Exception e) when ((e as SocketException ?? e.InnerException as SocketException)?.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }

    [Fact]
    public async Task Tcp_connector_reports_a_refused_connection_as_closed()
    {
        var connector = new TcpStreamConnector(TimeSpan.FromSeconds(5), TimeProvider.System);
        var client = new RecordingHandler();

        connector.Connect(new NetEndpoint(IPv4Address.Parse("127.0.0.1"), FreeTcpPort()), client);
        await client.Closed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["closed"], client.Events);
    }

    private static ushort FreeTcpPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return (ushort)((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Answers the first bytes in upper case, then closes (like a handshake's one reply).</summary>
    private sealed class EchoOnceAcceptor : IStreamAcceptor
    {
        public IStreamHandler Accept(IStreamConnection connection) => new Handler(connection);

        private sealed class Handler(IStreamConnection connection) : IStreamHandler
        {
            public void OnConnected() { }

            public void OnData(ReadOnlySpan<byte> data)
            {
                connection.Send(Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(data).ToUpperInvariant()));
                connection.Close();
            }

            public void OnClosed() { }
        }
    }

    /// <summary>Like a server at its handshake limit: answers and closes before the connection runs.</summary>
    private sealed class RefuseAtAcceptAcceptor : IStreamAcceptor
    {
        public IStreamHandler Accept(IStreamConnection connection)
        {
            connection.Send(Encoding.ASCII.GetBytes("busy"));
            connection.Close();
            return new RecordingHandler();
        }
    }

    /// <summary>Accepts every connection and keeps it open, counting what it accepted and what closed.</summary>
    private sealed class HoldingAcceptor : IStreamAcceptor
    {
        private int _accepted;
        private int _closed;

        public int Accepted => Volatile.Read(ref _accepted);
        public int Closed => Volatile.Read(ref _closed);

        public IStreamHandler Accept(IStreamConnection connection)
        {
            Interlocked.Increment(ref _accepted);
            return new Handler(this);
        }

        private sealed class Handler(HoldingAcceptor owner) : IStreamHandler
        {
            public void OnConnected() { }
            public void OnData(ReadOnlySpan<byte> data) { }
            public void OnClosed() => Interlocked.Increment(ref owner._closed);
        }
    }

    /// <summary>Counts the warning lines written to it.</summary>
    private sealed class CountingLogger : Microsoft.Extensions.Logging.ILogger
    {
        private int _warnings;

        public int Warnings => Volatile.Read(ref _warnings);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
            Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= Microsoft.Extensions.Logging.LogLevel.Warning)
                Interlocked.Increment(ref _warnings);
        }
    }

    private sealed class RecordingHandler : IStreamHandler
    {
        public List<string> Events { get; } = [];
        public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnConnected() => Events.Add("connected");
        public void OnData(ReadOnlySpan<byte> data) => Events.Add("data:" + Encoding.ASCII.GetString(data));

        public void OnClosed()
        {
            Events.Add("closed");
            Closed.SetResult();
        }
    }
}

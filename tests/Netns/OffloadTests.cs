using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using MyVpn.Io;
using MyVpn.Linux;
using MyVpn.Linux.Offload;
using MyVpn.Net;
using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>The kernel offloads of the Linux seams against the real kernel, each on its own.</summary>
public sealed class OffloadTests
{

    /// <summary>
    /// Two namespaces, each with a tun device opened with offloads, joined by a pump in this process
    /// (A's reads written to B and back). A TCP transfer from A to B crosses it: A's kernel hands over
    /// super-segments that the device splits, and the pump's batches go into B as coalesced GSO packets.
    /// A's batches hold 7 packets, so most super-segments are handed out over several reads. Once warm,
    /// the reads and writes allocate nothing (measured on the pump's thread).
    /// </summary>
    [Fact]
    public async Task Tcp_crosses_a_pump_between_two_offloading_tun_devices_intact_through_split_and_coalesced_packets()
    {
        var prefix = NamespacePrefix.Next();
        var (nsA, nsB) = ($"{prefix}-ta", $"{prefix}-tb");
        Namespaces.Add(nsA);
        Namespaces.Add(nsB);
        try
        {
            var offloads = new Offloads(true, NullLogger.Instance);
            using var a = NamespaceThread.Run(nsA, () => OpenTun("tuna", "10.9.0.1", offloads));
            Assert.Equal("TSO4 + checksum offload on", offloads.TunStatus);
            using var b = NamespaceThread.Run(nsB, () => OpenTun("tunb", "10.9.0.2", offloads));
            using var poller = new Poller(NullLogger.Instance);
            var fromA = Batch(7);
            var fromB = Batch(64);
            var pumps = new PumpStats();
            using var watchA = poller.Watch(a.Handle, () => Pump(a, b, fromA, pumps));
            using var watchB = poller.Watch(b.Handle, () => Pump(b, a, fromB, pumps));

            const int size = 20 * 1024 * 1024;
            await TcpTransfer.Run(nsA, nsB, "10.9.0.2", 5001, size);
            Assert.True(a.SuperSegmentsRead > 0, "the sender's kernel handed over no super-segment");
            Assert.True(b.CoalescedWrites > 0, "no batch went into the receiver as one GSO packet");
            Assert.Equal((0, 0), (a.Dropped, b.Dropped));
            Assert.True(pumps.Calls > 20, $"{pumps.Calls} pump calls");
            Assert.Equal(0, pumps.AllocatedAfterWarmUp);
        }
        finally
        {
            Namespaces.Delete(nsA);
            Namespaces.Delete(nsB);
        }
    }

    private static LinuxTunDevice OpenTun(string name, string address, Offloads offloads)
    {
        var device = LinuxTunDevice.Open(name, offloads);
        NetInterface.SetMtu(device.Name, 1420);
        NetInterface.DisableIPv6(device.Name);
        NetInterface.SetAddress(device.Name, IPv4Address.Parse(address), 24);
        NetInterface.SetUp(device.Name);
        return device;
    }

    private static PacketBuffer[] Batch(int size) => Enumerable.Range(0, size).Select(_ => new PacketBuffer(2048)).ToArray();

    /// <summary>Pump calls, and bytes the pump thread allocated in its reads and writes after the first 10 calls.</summary>
    private sealed class PumpStats
    {
        public int Calls;
        public long AllocatedAfterWarmUp;
    }

    private static void Pump(LinuxTunDevice from, LinuxTunDevice to, PacketBuffer[] batch, PumpStats stats)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        while (true)
        {
            foreach (var buffer in batch)
                buffer.Reset();
            var n = from.Read(batch);
            if (n == 0)
                break;
            to.Write(batch.AsSpan(0, n));
        }
        if (++stats.Calls > 10)
            stats.AllocatedAfterWarmUp += GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void Udp_run_goes_out_as_one_GSO_message_and_comes_back_split_from_one_GRO_message_in_order()
    {
        var offloads = new Offloads(true, NullLogger.Instance);
        offloads.ProbeUdp();
        Assert.True(offloads.UdpGso && offloads.UdpGro, "this kernel refuses UDP GSO or GRO");
        using var sender = new LinuxUdpTransport(BoundLoopbackSocket(), offloads);
        using var receiver = new LinuxUdpTransport(BoundLoopbackSocket(), offloads);
        var sent = Enumerable.Range(0, 41).Select(i =>
        {
            var datagram = new PacketBuffer(2048) { Endpoint = receiver.LocalEndpoint };
            datagram.Set(Content(i, i == 40 ? 300 : 1400));
            return datagram;
        }).ToArray();

        var batch = Enumerable.Range(0, 16).Select(_ => new PacketBuffer(2048)).ToArray();
        var counts = new int[10];
        var allocated = 0L;
        for (var round = 0; round < 2; round++) // the first round warms up (the GRO area pool, the stubs)
        {
            Array.Clear(counts);
            var next = 0;
            var wrong = 0;
            var before = GC.GetAllocatedBytesForCurrentThread();
            sender.Send(sent); // loopback delivers within sendmmsg: the run is queued at the receiver when it returns
            for (var calls = 0; calls < counts.Length; calls++)
            {
                foreach (var buffer in batch)
                {
                    buffer.Reset();
                    buffer.Offset = 0;
                }
                counts[calls] = receiver.Receive(batch);
                for (var i = 0; i < counts[calls]; i++, next++)
                    if (next >= sent.Length || !batch[i].Span.SequenceEqual(sent[next].Span) || batch[i].Endpoint != sender.LocalEndpoint)
                        wrong++;
                if (counts[calls] == 0)
                    break;
            }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(0, wrong);
            Assert.Equal(sent.Length, next);
            // 41 in batches of 16: what does not fit waits in the socket's GRO area; then 0 (drained, no syscall)
            Assert.Equal([16, 16, 9, 0], counts[..4]);
            Assert.Equal(0, receiver.Receive(batch));
        }
        Assert.Equal(0, allocated);
        Assert.Equal(2, sender.SegmentedSent);
        Assert.Equal(2, receiver.CoalescedReceived);
        Assert.Equal(0, sender.SendFailures);
    }

    [Fact]
    public async Task Udp_transport_with_offloads_still_sends_mixed_batches_to_several_peers()
    {
        var offloads = new Offloads(true, NullLogger.Instance);
        offloads.ProbeUdp();
        using var transport = new LinuxUdpTransport(BoundLoopbackSocket(), offloads);
        using var a = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var b = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var to = (UdpClient c) => NetEndpoint.From((IPEndPoint)c.Client.LocalEndPoint!);
        (UdpClient Peer, int Length)[] plan = [(a, 500), (a, 500), (a, 200), (b, 500), (b, 500), (a, 70_000), (a, 500), (a, 500)];
        var datagrams = plan.Select((p, i) =>
        {
            var datagram = new PacketBuffer(70_100) { Endpoint = to(p.Peer) };
            datagram.Set(Content(i, p.Length));
            return datagram;
        }).ToArray();

        transport.Send(datagrams);

        foreach (var i in (int[])[0, 1, 2, 6, 7])
            Assert.Equal(Content(i, plan[i].Length), (await a.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(5))).Buffer);
        foreach (var i in (int[])[3, 4])
            Assert.Equal(Content(i, plan[i].Length), (await b.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(5))).Buffer);
        Assert.Equal(1, transport.SendFailures); // the 70 000-byte one, too big for UDP
    }

    [Fact]
    public void Udp_sends_from_two_threads_at_once_all_arrive_whole_and_in_order_per_thread()
    {
        var offloads = new Offloads(true, NullLogger.Instance);
        offloads.ProbeUdp();
        using var sender = new LinuxUdpTransport(BoundLoopbackSocket(), offloads);
        var receiverSocket = BoundLoopbackSocket();
        receiverSocket.SetRawSocketOption(1 /* SOL_SOCKET */, 33 /* SO_RCVBUFFORCE (root) */, BitConverter.GetBytes(32 << 20));
        using var receiver = new LinuxUdpTransport(receiverSocket, offloads);
        const int sendsPerThread = 300;
        PacketBuffer[] Run(int thread) => Enumerable.Range(0, 4).Select(i =>
        {
            var datagram = new PacketBuffer(2048) { Endpoint = receiver.LocalEndpoint };
            datagram.Set(Content(thread * 10 + i, 300));
            return datagram;
        }).ToArray();
        var runs = new[] { Run(0), Run(1) };
        using var start = new Barrier(2);
        var threads = runs.Select(run => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < sendsPerThread; i++)
                sender.Send(run);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        var batch = Enumerable.Range(0, 64).Select(_ => new PacketBuffer(2048)).ToArray();
        var next = new int[2]; // per thread: which datagram of its run comes next
        var total = 0;
        while (true)
        {
            foreach (var buffer in batch)
            {
                buffer.Reset();
                buffer.Offset = 0;
            }
            var n = receiver.Receive(batch);
            if (n == 0)
                break;
            for (var i = 0; i < n; i++)
            {
                var datagram = batch[i].Span;
                var thread = datagram.SequenceEqual(runs[0][next[0]].Span) ? 0 : 1;
                Assert.True(datagram.SequenceEqual(runs[thread][next[thread]].Span), $"datagram {total} is neither thread's next");
                next[thread] = (next[thread] + 1) % 4;
                total++;
            }
        }

        Assert.Equal(2 * sendsPerThread * 4, total);
        Assert.Equal(0, sender.SendFailures);
    }

    /// <summary>
    /// Datagrams larger than the path MTU cannot be segmented (the kernel answers EMSGSIZE): the run goes
    /// again datagram by datagram (fragmented, as without GSO), UDP GSO turns itself off and says so once.
    /// </summary>
    [Fact]
    public void Udp_run_the_kernel_refuses_to_segment_is_sent_datagram_by_datagram_and_GSO_turns_off()
    {
        var ns = NamespacePrefix.Next() + "-gso";
        Namespaces.Add(ns);
        try
        {
            Shell.Check("ip", "-n", ns, "link", "set", "lo", "mtu", "1500");
            var log = new RecordingLogger();
            var offloads = new Offloads(true, log);
            offloads.ProbeUdp();
            var (sender, receiver) = NamespaceThread.Run(ns, () =>
                (new LinuxUdpTransport(BoundLoopbackSocket(), offloads), new LinuxUdpTransport(BoundLoopbackSocket(), Offloads.None)));
            using var _ = sender;
            using var __ = receiver;
            int[] lengths = [2000, 2000, 2000, 500, 500];
            var datagrams = lengths.Select((length, i) =>
            {
                var datagram = new PacketBuffer(2048) { Endpoint = receiver.LocalEndpoint };
                datagram.Set(Content(i, length));
                return datagram;
            }).ToArray();

            sender.Send(datagrams.AsSpan(0, 3)); // one GSO message: refused
            sender.Send(datagrams.AsSpan(3)); // GSO is off now: two plain datagrams

            var batch = Enumerable.Range(0, 8).Select(_ => new PacketBuffer(2048) { Offset = 0 }).ToArray();
            var got = receiver.Receive(batch);
            Assert.True(got == 5, $"{got} received, failures {sender.SendFailures}, segmented {sender.SegmentedSent}, gso {offloads.UdpGso}, log {string.Join(";", log.Messages)}");
            for (var i = 0; i < 5; i++)
                Assert.Equal(Content(i, lengths[i]), batch[i].Span.ToArray());
            Assert.False(offloads.UdpGso);
            Assert.Equal((0, 0), (sender.SendFailures, sender.SegmentedSent));
            Assert.Equal(["offloads: UDP GSO off from now on: the kernel refused a segmented send (EMSGSIZE); sending datagram by datagram"], log.Messages);
        }
        finally
        {
            Namespaces.Delete(ns);
        }
    }

    private sealed class RecordingLogger : Microsoft.Extensions.Logging.ILogger
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
            Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Messages)
                Messages.Add(formatter(state, exception));
        }
    }

    private static byte[] Content(int index, int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
            bytes[i] = (byte)(index * 31 + i);
        return bytes;
    }

    private static Socket BoundLoopbackSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { Blocking = false };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }
}

using MyVpn.Io;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using MyVpn.Tunnel;
using Xunit;

namespace MyVpn.Tests.Unit.Tunnel;

/// <summary>
/// <see cref="DataPath"/>'s sealing and sending steps, its tun drain and its idle gate: what is sealed where,
/// what is sent and what is not when sealing fails, and that every batch's datagrams leave before the next read.
/// </summary>
public sealed class DataPathSealingTests
{
    private static readonly NetEndpoint Peer = new(IPv4Address.Parse("192.0.2.7"), 51820);

    [Fact]
    public void Seal_seals_the_inner_packet_in_place_after_its_headroom_and_addresses_it()
    {
        using var client = DataVector.ClientSession();
        using var server = DataVector.ServerSession();
        var packet = new PacketBuffer(PacketBuffer.DefaultCapacity);
        packet.Set(DataVector.Plaintext);
        packet.Offset -= WireFormat.IvLength;

        Assert.True(DataPath.Seal(client, packet, DataVector.Plaintext.Length, Peer));

        Assert.Equal(DataVector.FirstDatagramHex, Convert.ToHexStringLower(packet.Span));
        Assert.Equal(Peer, packet.Endpoint);
        Assert.Equal(0, packet.Offset);
        Assert.True(server.TryOpen(packet.Span.ToArray(), out var length, out _));
        Assert.Equal(DataVector.Plaintext.Length, length);
    }

    [Fact]
    public void A_seal_that_fails_leaves_the_packet_as_it_was_and_sends_nothing()
    {
        var client = DataVector.ClientSession();
        client.Dispose();
        var packet = new PacketBuffer(PacketBuffer.DefaultCapacity);
        packet.Set(DataVector.Plaintext);
        var transport = new CountingTransport();

        Assert.False(DataPath.SealAndSend(client, packet, DataVector.Plaintext.Length - WireFormat.IvLength, transport, Peer, new DropCounters()));

        Assert.Equal(0, transport.Datagrams);
        Assert.Equal(DataVector.Plaintext.Length, packet.Length);
        Assert.Equal(default, packet.Endpoint);
        Assert.Equal(DataVector.Plaintext, packet.Span.ToArray());
    }

    [Fact]
    public void SealFailure_tells_a_closed_session_from_an_exhausted_counter()
    {
        var closed = DataVector.ClientSession();
        closed.Dispose();
        using var exhausted = DataVector.ClientSession();
        DataVector.NextCounterOf(exhausted) = WireFormat.MaxCounter;

        Assert.Equal(DropReason.SessionClosed, DataPath.SealFailure(closed));
        Assert.Equal(DropReason.CounterExhausted, DataPath.SealFailure(exhausted));
    }

    [Fact]
    public void SealAndSend_sends_the_one_sealed_datagram_at_once()
    {
        using var client = DataVector.ClientSession();
        var packet = new PacketBuffer(PacketBuffer.DefaultCapacity);
        packet.Set(DataVector.Plaintext);
        packet.Offset -= WireFormat.IvLength;
        var transport = new CountingTransport();

        Assert.True(DataPath.SealAndSend(client, packet, DataVector.Plaintext.Length, transport, Peer, new DropCounters()));

        Assert.Equal([DataVector.FirstDatagramHex], transport.Sent);
        Assert.Equal([Peer], transport.To);
    }

    [Fact]
    public void A_keepalive_is_an_empty_sealed_datagram_from_the_buffers_start_whatever_it_held()
    {
        using var client = DataVector.ClientSession();
        DataVector.Seal(client, DataVector.Plaintext); // the keepalive vector is the second datagram
        var scratch = new PacketBuffer(PacketBuffer.DefaultCapacity);
        scratch.Set(DataVector.Plaintext); // left over from an earlier use, at offset 16
        var transport = new CountingTransport();

        Assert.True(DataPath.SendKeepalive(client, scratch, transport, Peer, new DropCounters()));

        Assert.Equal([DataVector.KeepaliveDatagramHex], transport.Sent);
        Assert.Equal(0, scratch.Offset);
    }

    [Fact]
    public void DrainTun_sends_each_batchs_datagrams_before_the_next_read_and_hands_each_packet_its_batchs_time()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var scratch = new DataPathScratch(4, PacketBuffer.DefaultCapacity);
        var transport = new CountingTransport();
        var tun = new BatchTun([2, 3, 0], onRead: () => transport.Datagrams, time);
        var seen = new List<(int Batch, long Time)>();

        DataPath.DrainTun(tun, scratch, time, (packet, now) =>
        {
            seen.Add((tun.Reads, now));
            packet.Endpoint = Peer;
            scratch.Outgoing.Add(packet, transport);
        }, new DropCounters());

        Assert.Equal([0, 2, 5], tun.SentBeforeRead); // the third read (empty) ends the drain
        Assert.Equal(5, transport.Datagrams);
        Assert.Equal(2, transport.Calls);
        var start = tun.Start;
        Assert.Equal([(1, start + 1), (1, start + 1), (2, start + 2), (2, start + 2), (2, start + 2)], seen);
    }

    [Fact]
    public void DrainTun_still_sends_what_a_batch_queued_when_a_packet_handler_throws()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var scratch = new DataPathScratch(4, PacketBuffer.DefaultCapacity);
        var transport = new CountingTransport();
        var tun = new BatchTun([3], onRead: () => transport.Datagrams, time);
        var handled = 0;

        Assert.Throws<InvalidOperationException>(() => DataPath.DrainTun(tun, scratch, time, (packet, _) =>
        {
            if (++handled == 2)
                throw new InvalidOperationException("handler failed");
            packet.Endpoint = Peer;
            scratch.Outgoing.Add(packet, transport);
        }, new DropCounters()));

        Assert.Equal(1, transport.Datagrams);
        Assert.Equal(2, handled);
    }

    [Fact]
    public async Task RunIfIdle_runs_the_work_under_a_free_gate_and_frees_it_again_even_if_the_work_throws()
    {
        var gate = new Lock();
        var ran = 0;

        DataPath.RunIfIdle(gate, () => { Assert.True(gate.IsHeldByCurrentThread); ran++; });
        Assert.Throws<InvalidOperationException>(() => DataPath.RunIfIdle(gate, () => throw new InvalidOperationException()));

        Assert.Equal(1, ran);
        Assert.False(gate.IsHeldByCurrentThread);
        Assert.True(await Task.Run(() => gate.TryEnter() && Exit(gate))); // another thread can take it: nothing was left held
    }

    [Fact]
    public async Task RunIfIdle_skips_the_work_while_another_thread_holds_the_gate()
    {
        var gate = new Lock();
        using var held = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var holder = Task.Run(() =>
        {
            lock (gate)
            {
                held.Set();
                release.Wait();
            }
        });
        held.Wait();
        var ran = false;

        DataPath.RunIfIdle(gate, () => ran = true);

        release.Set();
        await holder;
        Assert.False(ran);
    }

    private static bool Exit(Lock gate)
    {
        gate.Exit();
        return true;
    }

    /// <summary>Answers each read with the next count of 60-byte packets, noting how many datagrams were sent before it; the clock ticks once per read.</summary>
    private sealed class BatchTun(int[] counts, Func<int> onRead, Microsoft.Extensions.Time.Testing.FakeTimeProvider time) : ITunDevice
    {
        public List<int> SentBeforeRead { get; } = [];
        public int Reads { get; private set; }
        public long Start { get; } = time.GetTimestamp();
        public int BatchSize => 4;

        public int Read(Span<PacketBuffer> packets)
        {
            SentBeforeRead.Add(onRead());
            var count = Reads < counts.Length ? counts[Reads] : 0;
            Reads++;
            time.Advance(TimeSpan.FromTicks(1));
            for (var i = 0; i < count; i++)
                packets[i].Length = 60;
            return count;
        }

        public TunWriteResult Write(ReadOnlySpan<PacketBuffer> packets) => TunWriteResult.AllWritten;
    }

    private sealed class CountingTransport : IDatagramTransport
    {
        public List<string> Sent { get; } = [];
        public List<NetEndpoint> To { get; } = [];
        public int Datagrams { get; private set; }
        public int Calls { get; private set; }
        public NetEndpoint LocalEndpoint => default;
        public int BatchSize => 8;
        public int Receive(Span<PacketBuffer> datagrams) => 0;

        public SendResult Send(ReadOnlySpan<PacketBuffer> datagrams)
        {
            Calls++;
            foreach (var datagram in datagrams)
            {
                Datagrams++;
                Sent.Add(Convert.ToHexStringLower(datagram.Span));
                To.Add(datagram.Endpoint);
            }
            return SendResult.AllSent(datagrams.Length);
        }

        public void Dispose() { }
    }
}

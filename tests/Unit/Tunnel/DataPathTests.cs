using MyVpn.Io;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Tunnel;
using Xunit;

namespace MyVpn.Tests.Unit.Tunnel;

/// <summary>
/// <see cref="DataPath"/> resets only the buffers the last batch used: whatever a batch did to its buffers
/// (sealed in place, trimmed, addressed), the next read must still find every buffer it fills readied.
/// </summary>
public sealed class DataPathTests
{
    [Fact]
    public void Every_tun_read_finds_the_buffers_it_fills_readied_after_batches_of_any_size()
    {
        var scratch = new DataPathScratch(8, 2048);
        var tun = new ScriptedTun([3, 1, 8, 2, 0, 5, 1, 0], fillsOneMore: true);
        var handled = 0;
        DataPath.DrainTun(tun, scratch, TimeProvider.System, (packet, _) =>
        {
            packet.Offset -= 16; // what sealing does: IV in the headroom, tag after
            packet.Length += 32;
            packet.Endpoint = new NetEndpoint(IPv4Address.Parse("10.0.0.1"), 9);
            handled++;
        }, new DropCounters());
        DataPath.DrainTun(tun, scratch, TimeProvider.System, (packet, _) => { packet.Offset += 16; handled++; }, new DropCounters());

        Assert.Equal(3 + 1 + 8 + 2 + 5 + 1, handled);
        Assert.Empty(tun.Unready);
    }

    [Fact]
    public void Every_receive_finds_the_buffers_it_fills_readied_at_offset_0_even_in_a_scratch_made_for_tun()
    {
        var scratch = new DataPathScratch(6, 2048);
        var transport = new ScriptedTransport([2, 6, 1, 4]);
        for (var batch = 0; batch < 4; batch++)
        {
            var count = DataPath.Receive(transport, scratch);
            for (var i = 0; i < count; i++)
            {
                scratch.Batch[i].Offset += 16; // what opening does: the inner packet after the IV
                scratch.Batch[i].Length -= 32;
            }
        }

        Assert.Equal(4, transport.Calls);
        Assert.Empty(transport.Unready);
    }

    [Fact]
    public void WriteTun_counts_the_packets_the_device_could_not_take_under_its_reason()
    {
        var drops = new DropCounters();
        PacketBuffer[] packets = [new PacketBuffer(64), new PacketBuffer(64), new PacketBuffer(64)];
        var taking = new AnsweringTun(TunWriteResult.AllWritten);
        var full = new AnsweringTun(new TunWriteResult(2, DropReason.TunQueueFull));

        DataPath.WriteTun(taking, packets, drops);
        Assert.Equal(0, drops.Total);
        DataPath.WriteTun(full, packets, drops);

        Assert.Equal(2, drops[DropReason.TunQueueFull]);
        Assert.Equal(2, drops.Total);
        Assert.Equal([3], taking.Writes);
        Assert.Equal([3], full.Writes);
    }

    /// <summary>Answers every write with <paramref name="result"/> and records how many packets each write was given.</summary>
    private sealed class AnsweringTun(TunWriteResult result) : ITunDevice
    {
        public List<int> Writes { get; } = [];
        public int BatchSize => 8;
        public int Read(Span<PacketBuffer> packets) => 0;

        public TunWriteResult Write(ReadOnlySpan<PacketBuffer> packets)
        {
            Writes.Add(packets.Length);
            return result;
        }
    }

    /// <summary>Answers each read with the next count, and records every buffer it was about to fill that was not readied.</summary>
    private sealed class ScriptedTun(int[] counts, bool fillsOneMore) : ITunDevice
    {
        private int _call;

        public List<string> Unready { get; } = [];
        public int BatchSize => 8;

        public int Read(Span<PacketBuffer> packets)
        {
            var count = _call < counts.Length ? counts[_call] : 0;
            var call = _call++;
            for (var i = 0; i < count; i++)
            {
                if (packets[i].Offset != PacketBuffer.DefaultHeadroom || packets[i].Length != 0 || packets[i].Endpoint != default)
                    Unready.Add($"read {call}, buffer {i}: offset {packets[i].Offset}, length {packets[i].Length}");
                packets[i].Length = 60;
            }
            if (fillsOneMore && count < packets.Length)
                packets[count].Length = 99; // a packet read and then dropped (malformed): the buffer is touched, not counted
            return count;
        }

        public TunWriteResult Write(ReadOnlySpan<PacketBuffer> packets) => TunWriteResult.AllWritten;
    }

    private sealed class ScriptedTransport(int[] counts) : IDatagramTransport
    {
        public List<string> Unready { get; } = [];
        public int Calls { get; private set; }
        public NetEndpoint LocalEndpoint => default;
        public int BatchSize => 6;

        public int Receive(Span<PacketBuffer> datagrams)
        {
            var call = Calls++;
            var count = call < counts.Length ? counts[call] : 0;
            for (var i = 0; i < count; i++)
            {
                if (datagrams[i].Offset != 0 || datagrams[i].Length != 0 || datagrams[i].Endpoint != default)
                    Unready.Add($"receive {call}, buffer {i}: offset {datagrams[i].Offset}, length {datagrams[i].Length}");
                datagrams[i].Length = 100;
                datagrams[i].Endpoint = new NetEndpoint(IPv4Address.Parse("10.0.0.2"), 40000);
            }
            if (count < datagrams.Length)
                datagrams[count].Length = 7; // cut short: touched, not counted
            return count;
        }

        public SendResult Send(ReadOnlySpan<PacketBuffer> datagrams) => SendResult.AllSent(datagrams.Length);

        public void Dispose() { }
    }
}

using MyVpn.Io;
using MyVpn.Net;
using MyVpn.Sim;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>
/// The seams' readiness contract (<see cref="ITunDevice"/>, <see cref="IDatagramTransport"/>) lets a device
/// answer 0 while data waits only under a level-triggered host. The simulator's and the tests' hosts report
/// arrivals, so their devices must answer 0 only when nothing is waiting: drained in batches smaller than
/// what waits, a device's first 0 leaves nothing behind (a second read finds nothing, and everything was read).
/// </summary>
public sealed class ReadinessContractTests
{
    private delegate int Reader(Span<PacketBuffer> buffers);

    private const int Waiting = 11;
    private static readonly NetEndpoint From = NetEndpoint.Parse("192.0.2.1:40000");

    /// <summary>Reads in batches of <paramref name="batch"/> until the first 0; returns how many were read and what a read after it gave.</summary>
    private static (int Read, int After) DrainToFirstZero(Reader read, int batch)
    {
        var buffers = Enumerable.Range(0, batch).Select(_ => new PacketBuffer(PacketBuffer.DefaultCapacity)).ToArray();
        var total = 0;
        int n;
        while ((n = read(buffers)) > 0)
        {
            total += n;
            foreach (var buffer in buffers)
                buffer.Reset();
        }
        return (total, read(buffers));
    }

    private static byte[] Packet(int i) => Packets.IPv4("10.0.0.2", $"8.8.8.{i + 1}");

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void The_simulators_tun_answers_0_only_when_nothing_waits_even_past_dropped_packets(int batch)
    {
        var net = new TwoHosts();
        var tun = new SimTunDevice(net.A, batchSize: 2);
        for (var i = 0; i < Waiting; i++)
            tun.Inject(i % 4 == 0 ? new byte[PacketBuffer.DefaultCapacity] : Packet(i)); // every 4th too large: dropped, not read

        var (read, after) = DrainToFirstZero(b => tun.Read(b), batch);

        Assert.Equal(Waiting - tun.Dropped, read);
        Assert.Equal(3, tun.Dropped);
        Assert.Equal(0, after);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void The_simulators_socket_answers_0_only_when_nothing_waits(int batch)
    {
        var net = new TwoHosts();
        using var receiver = net.B.Bind(5000, _ => { });
        using var sender = net.A.Bind(0, _ => { });
        for (var i = 0; i < Waiting; i++)
        {
            var datagram = new PacketBuffer(PacketBuffer.DefaultCapacity) { Endpoint = receiver.LocalEndpoint };
            datagram.Set(Packet(i));
            sender.Send([datagram]);
        }
        net.Clock.RunFor(TimeSpan.FromSeconds(1));

        var (read, after) = DrainToFirstZero(b => receiver.Receive(b), batch);

        Assert.Equal(Waiting, read);
        Assert.Equal(0, after);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void The_test_worlds_devices_answer_0_only_when_nothing_waits(int batch)
    {
        var channelTun = new ChannelTun { ReadsPerCall = 2 };
        var threadedTun = new ThreadedTun { BatchSize = 2 };
        var socket = new ChannelSocket(new ChannelNetwork(), NetEndpoint.Parse("198.51.100.1:40000"), _ => { });
        for (var i = 0; i < Waiting; i++)
        {
            channelTun.Inject(Packet(i));
            threadedTun.Inject(Packet(i));
            socket.Arrive(From, Packet(i));
        }

        Assert.Equal((Waiting, 0), DrainToFirstZero(b => channelTun.Read(b), batch));
        Assert.Equal((Waiting, 0), DrainToFirstZero(b => threadedTun.Read(b), batch));
        Assert.Equal((Waiting, 0), DrainToFirstZero(b => socket.Receive(b), batch));
    }
}

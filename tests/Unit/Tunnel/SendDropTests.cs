using MyVpn.Io;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using MyVpn.Tunnel;
using Xunit;

namespace MyVpn.Tests.Unit.Tunnel;

/// <summary>A datagram the transport refuses becomes a drop counted under the send's reason.</summary>
public sealed class SendDropTests
{
    private static readonly NetEndpoint Peer = new(IPv4Address.Parse("192.0.2.7"), 51820);

    [Theory]
    [InlineData(DropReason.SendBufferFull)]
    [InlineData(DropReason.SendNoBuffers)]
    [InlineData(DropReason.SendTooBig)]
    [InlineData(DropReason.SendRefused)]
    [InlineData(DropReason.SendUnreachable)]
    [InlineData(DropReason.SendFailed)]
    public void A_refused_keepalive_is_counted_under_its_reason(DropReason reason)
    {
        using var client = DataVector.ClientSession();
        var drops = new DropCounters();

        Assert.True(DataPath.SendKeepalive(client, new PacketBuffer(PacketBuffer.DefaultCapacity), new RefusingTransport(reason), Peer, drops));

        Assert.Equal(1, drops[reason]);
        Assert.Equal(1, drops.Total);
    }

    [Fact]
    public void DropCounters_add_each_reason_of_a_send_result()
    {
        var drops = new DropCounters();

        drops.Add(new SendResult { Sent = 9, BufferFull = 2, NoBuffers = 1, TooBig = 3, Refused = 4, Unreachable = 5, Failed = 6 });

        Assert.Equal((2, 1, 3, 4, 5, 6), (drops[DropReason.SendBufferFull], drops[DropReason.SendNoBuffers], drops[DropReason.SendTooBig],
            drops[DropReason.SendRefused], drops[DropReason.SendUnreachable], drops[DropReason.SendFailed]));
        Assert.Equal(21, drops.Total);
    }

    private sealed class RefusingTransport(DropReason reason) : IDatagramTransport
    {
        public NetEndpoint LocalEndpoint => default;
        public int BatchSize => 1;
        public int Receive(Span<PacketBuffer> datagrams) => 0;

        public SendResult Send(ReadOnlySpan<PacketBuffer> datagrams)
        {
            var result = new SendResult();
            result.Drop(reason, datagrams.Length);
            return result;
        }

        public void Dispose() { }
    }
}

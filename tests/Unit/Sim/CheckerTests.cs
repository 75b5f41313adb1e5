using MyVpn.Io;
using MyVpn.Net;
using MyVpn.Sim;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

public sealed class CheckerTests
{
    private static PacketBuffer Datagram(UdpEndpoint to, byte[] bytes)
    {
        var buffer = new PacketBuffer(PacketPool.DefaultCapacity) { Endpoint = to };
        buffer.Set(bytes);
        return buffer;
    }

    [Fact]
    public void A_datagram_carrying_a_ping_payload_in_clear_is_caught()
    {
        var net = new TwoHosts();
        using var socket = net.A.Bind(0, _ => { });
        var leaked = new byte[] { 1, 2 }.Concat(PingPayload.Create(17)).ToArray();

        socket.Send([Datagram(new UdpEndpoint(TwoHosts.AddressB, 40000), leaked)]);

        Assert.Contains("ping payload in clear", net.Network.Violations.First);
    }

    [Fact]
    public void A_datagram_carrying_a_registered_key_is_caught()
    {
        var net = new TwoHosts();
        var key = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
        net.Network.Plaintext.AddSecret("pre-shared key of pc1", key);
        using var socket = net.A.Bind(0, _ => { });

        socket.Send([Datagram(new UdpEndpoint(TwoHosts.AddressB, 40000), key)]);

        Assert.Contains("pre-shared key of pc1", net.Network.Violations.First);
    }

    [Fact]
    public void Random_looking_datagrams_pass()
    {
        var net = new TwoHosts();
        using var socket = net.A.Bind(0, _ => { });
        var bytes = new byte[200];
        new SimRandom(1).Fill(bytes);

        socket.Send([Datagram(new UdpEndpoint(TwoHosts.AddressB, 40000), bytes)]);

        Assert.False(net.Network.Violations.Any);
        Assert.Equal(1, net.Network.Plaintext.Inspected);
    }

    [Fact]
    public void A_ping_request_delivered_twice_is_caught()
    {
        var net = new TwoHosts();
        var ping = net.Network.StartPing(net.A, TwoHosts.AddressB)!;
        net.Clock.RunFor(TimeSpan.FromSeconds(1));

        net.B.Stack.FromWire(ping.Request.ToPacket()); // the same request once more

        Assert.Contains("request delivered 2 times", net.Network.Violations.First);
    }

    [Fact]
    public void A_reply_reaching_a_host_that_did_not_ping_is_caught()
    {
        var net = new TwoHosts();
        var ping = net.Network.StartPing(net.A, TwoHosts.AddressB)!;
        var misrouted = ping.Request.Reply() with { Target = TwoHosts.AddressB };

        net.B.Stack.FromWire(misrouted.ToPacket());

        Assert.Contains("delivered to b, not to a", net.Network.Violations.First);
    }

    [Fact]
    public void A_reply_with_an_altered_payload_is_caught()
    {
        var net = new TwoHosts();
        var ping = net.Network.StartPing(net.A, TwoHosts.AddressB)!;
        var payload = ping.Request.Payload.ToArray();
        payload[^1] ^= 1;

        net.A.Stack.FromWire((ping.Request.Reply() with { Payload = payload }).ToPacket());

        Assert.Contains("does not match its request", net.Network.Violations.First);
        Assert.False(ping.Replied);
    }
}

using MyVpn.Io;
using MyVpn.Net;
using MyVpn.Sim;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

public sealed class CheckerTests
{
    private static PacketBuffer Datagram(NetEndpoint to, byte[] bytes)
    {
        var buffer = new PacketBuffer(PacketBuffer.DefaultCapacity) { Endpoint = to };
        buffer.Set(bytes);
        return buffer;
    }

    [Fact]
    public void A_datagram_carrying_a_ping_payload_in_clear_is_caught()
    {
        var net = new TwoHosts();
        using var socket = net.A.Bind(0, _ => { });
        var leaked = new byte[] { 1, 2 }.Concat(PingPayload.Create(17)).ToArray();

        socket.Send([Datagram(new NetEndpoint(TwoHosts.AddressB, 40000), leaked)]);

        Assert.Contains("ping payload in clear", net.Network.Violations.First);
    }

    [Fact]
    public void A_datagram_carrying_a_registered_key_is_caught()
    {
        var net = new TwoHosts();
        var key = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
        net.Network.Plaintext.AddSecret("pre-shared key of pc1", key);
        using var socket = net.A.Bind(0, _ => { });

        socket.Send([Datagram(new NetEndpoint(TwoHosts.AddressB, 40000), key)]);

        Assert.Contains("pre-shared key of pc1", net.Network.Violations.First);
    }

    [Fact]
    public void Random_looking_datagrams_pass()
    {
        var net = new TwoHosts();
        using var socket = net.A.Bind(0, _ => { });
        var bytes = new byte[200];
        new SimRandom(1).Fill(bytes);

        socket.Send([Datagram(new NetEndpoint(TwoHosts.AddressB, 40000), bytes)]);

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
    public void A_reply_reaching_another_host_while_the_pinger_holds_its_address_is_caught()
    {
        // Two clients handed the same VPN address (a pool bug): the reply for a lands on b.
        var net = new TwoHosts();
        var subnet = MyVpn.Net.IPv4Subnet.Parse("10.0.0.0/24");
        var shared = MyVpn.Net.IPv4Address.Parse("10.0.0.2");
        net.A.Stack.RouteAllViaVpn = true;
        net.B.Stack.RouteAllViaVpn = true;
        net.A.Stack.Configure(shared, subnet);
        net.B.Stack.Configure(shared, subnet);
        var ping = net.Network.StartPing(net.A, MyVpn.Net.IPv4Address.Parse("10.0.0.1"))!;
        var reply = new PacketBuffer(PacketBuffer.DefaultCapacity);
        reply.Set(ping.Request.Reply().ToPacket());

        net.B.Tun.Write([reply]);

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

    [Fact]
    public void A_reply_reaching_the_new_owner_of_an_address_the_pinger_gave_up_is_not_a_violation()
    {
        var net = new TwoHosts();
        var ping = net.Network.StartPing(net.A, TwoHosts.AddressB)!;
        net.Network.ChangeAddress(net.A, MyVpn.Net.IPv4Address.Parse("192.0.2.50"));
        var newcomer = net.Network.AddHost("c", TwoHosts.AddressA);

        newcomer.Stack.FromWire(ping.Request.Reply().ToPacket());

        Assert.False(net.Network.Violations.Any, net.Network.Violations.First);
        Assert.Equal(1, net.Network.Deliveries.StrayReplies);
    }
}

using MyVpn.Io;
using MyVpn.Net;
using MyVpn.Sim;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

public sealed class SimDatagramTransportTests
{
    private static PacketBuffer Datagram(NetEndpoint to, byte[] bytes)
    {
        var buffer = new PacketBuffer(PacketBuffer.DefaultCapacity) { Endpoint = to };
        buffer.Set(bytes);
        return buffer;
    }

    private static List<(NetEndpoint From, byte[] Bytes)> Drain(IDatagramTransport transport)
    {
        var received = new List<(NetEndpoint, byte[])>();
        var buffers = new[] { new PacketBuffer(PacketBuffer.DefaultCapacity), new PacketBuffer(PacketBuffer.DefaultCapacity) };
        int n;
        while ((n = transport.Receive(buffers)) > 0)
        {
            for (var i = 0; i < n; i++)
                received.Add((buffers[i].Endpoint, buffers[i].Span.ToArray()));
        }
        return received;
    }

    [Fact]
    public void A_datagram_reaches_the_bound_port_and_names_its_sender()
    {
        var net = new TwoHosts();
        var received = new List<(NetEndpoint From, byte[] Bytes)>();
        using var server = net.B.Bind(5000, t => received.AddRange(Drain(t)));
        using var client = net.A.Bind(0, _ => { });

        client.Send([Datagram(new NetEndpoint(TwoHosts.AddressB, 5000), [1, 2, 3])]);
        net.Clock.RunFor(TimeSpan.FromSeconds(1));

        var (from, bytes) = Assert.Single(received);
        Assert.Equal(client.LocalEndpoint, from);
        Assert.Equal([1, 2, 3], bytes);
    }

    [Fact]
    public void Sender_may_reuse_its_buffer_at_once()
    {
        var net = new TwoHosts();
        var received = new List<byte[]>();
        using var server = net.B.Bind(5000, t => received.AddRange(Drain(t).Select(d => d.Bytes)));
        using var client = net.A.Bind(0, _ => { });
        var buffer = Datagram(new NetEndpoint(TwoHosts.AddressB, 5000), [7, 7]);

        client.Send([buffer]);
        buffer.Data.AsSpan().Fill(0);
        net.Clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal([7, 7], Assert.Single(received));
    }

    [Fact]
    public void Binding_a_taken_port_throws_port_unavailable()
    {
        var net = new TwoHosts();
        using var first = net.A.Bind(5000, _ => { });

        var e = Assert.Throws<PortUnavailableException>(() => net.A.Bind(5000, _ => { }));
        Assert.Equal(5000, e.Port);
    }

    [Fact]
    public void Port_zero_gets_distinct_ephemeral_ports()
    {
        var net = new TwoHosts();
        var ports = Enumerable.Range(0, 50).Select(_ => net.A.Bind(0, _ => { }).LocalEndpoint.Port).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, p => Assert.InRange(p, 32768, 60999));
    }

    [Fact]
    public void A_closed_port_can_be_bound_again_and_drops_what_arrives_meanwhile()
    {
        var net = new TwoHosts();
        var first = net.B.Bind(5000, _ => { });
        using var client = net.A.Bind(0, _ => { });

        first.Dispose();
        client.Send([Datagram(new NetEndpoint(TwoHosts.AddressB, 5000), [1])]);
        net.Clock.RunFor(TimeSpan.FromSeconds(1));
        using var second = net.B.Bind(5000, _ => { });

        Assert.Contains(net.Network.Trace.Lines, l => l.EndsWith("drop(port-closed)", StringComparison.Ordinal));
    }

    [Fact]
    public void Readable_is_reported_as_a_clock_event_not_during_send()
    {
        var net = new TwoHosts();
        var notified = 0;
        using var server = net.B.Bind(5000, t => { notified++; Drain(t); });
        using var client = net.A.Bind(0, _ => { });

        client.Send([Datagram(new NetEndpoint(TwoHosts.AddressB, 5000), [1])]);
        Assert.Equal(0, notified);
        net.Clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal(1, notified);
    }

    [Fact]
    public void A_datagram_to_an_address_nobody_has_is_dropped_as_unreachable()
    {
        var net = new TwoHosts();
        using var client = net.A.Bind(0, _ => { });

        client.Send([Datagram(new NetEndpoint(IPv4Address.Parse("192.0.2.99"), 5000), [1])]);

        Assert.EndsWith("drop(unreachable)", Assert.Single(net.Network.Trace.Lines));
    }

    [Fact]
    public void After_an_address_change_the_socket_sends_from_the_new_address()
    {
        var net = new TwoHosts();
        var senders = new List<NetEndpoint>();
        using var server = net.B.Bind(5000, t => senders.AddRange(Drain(t).Select(d => d.From)));
        using var client = net.A.Bind(4000, _ => { });
        var moved = IPv4Address.Parse("192.0.2.77");

        net.Network.ChangeAddress(net.A, moved);
        client.Send([Datagram(new NetEndpoint(TwoHosts.AddressB, 5000), [1])]);
        net.Clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal([new NetEndpoint(moved, 4000)], senders);
    }

    [Fact]
    public void Restart_closes_every_socket()
    {
        var net = new TwoHosts();
        var received = 0;
        var server = net.B.Bind(5000, t => received += Drain(t).Count);
        using var client = net.A.Bind(0, _ => { });

        net.B.Restart();
        client.Send([Datagram(new NetEndpoint(TwoHosts.AddressB, 5000), [1])]);
        net.Clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal(0, received);
        Assert.Empty(net.B.BoundPorts);
        server.Dispose(); // the old owner disposing late must not disturb anything
    }
}

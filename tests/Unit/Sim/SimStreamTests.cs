using MyVpn.Net;
using MyVpn.Sim;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

public sealed class SimStreamTests
{
    private static readonly NetEndpoint ServerEndpoint = new(TwoHosts.AddressB, 9525);

    [Fact]
    public void Connecting_to_a_listener_opens_both_ends()
    {
        var net = new TwoHosts();
        var acceptor = new RecordingAcceptor();
        using var listening = net.B.Listen(9525, acceptor);
        var client = new RecordingStreamHandler();

        var connection = net.A.Connect(ServerEndpoint, client);
        net.Clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal(["connected"], client.Events);
        var (accepted, server) = Assert.Single(acceptor.Accepted);
        Assert.Equal(["connected"], server.Events);
        Assert.Equal(connection is SimStreamEnd end ? end.LocalEndpoint : default, accepted.RemoteEndpoint);
    }

    [Fact]
    public void Connecting_where_nobody_listens_is_refused()
    {
        var net = new TwoHosts();
        var client = new RecordingStreamHandler();

        net.A.Connect(ServerEndpoint, client);
        net.Clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal(["closed"], client.Events);
    }

    [Fact]
    public void Connecting_to_an_address_nobody_has_times_out()
    {
        var net = new TwoHosts();
        var client = new RecordingStreamHandler();

        net.A.Connect(new NetEndpoint(IPv4Address.Parse("192.0.2.99"), 9525), client);
        net.Clock.RunFor(SimStreamEnd.ConnectTimeout - TimeSpan.FromSeconds(1));
        Assert.Empty(client.Events);
        net.Clock.RunFor(TimeSpan.FromSeconds(2));

        Assert.Equal(["closed"], client.Events);
    }

    [Fact]
    public void Bytes_arrive_complete_and_in_order_over_a_lossy_jittery_link()
    {
        var faults = LinkFaults.None with { LossPerMille = 300, DuplicatePerMille = 200, DelayMean = TimeSpan.FromMilliseconds(60) };
        var net = new TwoHosts(seed: 5, faults);
        var acceptor = new RecordingAcceptor();
        using var listening = net.B.Listen(9525, acceptor);
        var connection = net.A.Connect(ServerEndpoint, new RecordingStreamHandler());
        var sent = new List<byte>();

        for (var i = 0; i < 200; i++)
        {
            var chunk = Enumerable.Range(0, 1 + i % 7).Select(j => (byte)(i + j)).ToArray();
            connection.Send(chunk);
            sent.AddRange(chunk);
            net.Clock.RunFor(TimeSpan.FromMilliseconds(3));
        }
        net.Clock.RunFor(TimeSpan.FromSeconds(30));

        Assert.Equal(sent, Assert.Single(acceptor.Accepted).Handler.Received);
    }

    [Fact]
    public void Closing_delivers_queued_bytes_then_closes_the_peer_only()
    {
        var net = new TwoHosts();
        var acceptor = new RecordingAcceptor();
        using var listening = net.B.Listen(9525, acceptor);
        var client = new RecordingStreamHandler();
        var connection = net.A.Connect(ServerEndpoint, client);
        net.Clock.RunFor(TimeSpan.FromSeconds(1));

        connection.Send([1, 2, 3]);
        connection.Close();
        connection.Send([4]); // ignored: closed
        net.Clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal(["connected", "data 3", "closed"], acceptor.Accepted[0].Handler.Events);
        Assert.Equal(["connected"], client.Events);
    }

    [Fact]
    public void A_restarting_host_resets_its_connections()
    {
        var net = new TwoHosts();
        var acceptor = new RecordingAcceptor();
        net.B.Listen(9525, acceptor);
        var client = new RecordingStreamHandler();
        net.A.Connect(ServerEndpoint, client);
        net.Clock.RunFor(TimeSpan.FromSeconds(1));

        net.B.Restart();
        net.Clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal(["connected", "closed"], client.Events);
        Assert.Equal(["connected"], acceptor.Accepted[0].Handler.Events); // the old server gets nothing more
    }

    [Fact]
    public void After_a_restart_nobody_listens_until_the_port_is_opened_again()
    {
        var net = new TwoHosts();
        net.B.Listen(9525, new RecordingAcceptor());
        net.B.Restart();
        var refused = new RecordingStreamHandler();

        net.A.Connect(ServerEndpoint, refused);
        net.Clock.RunFor(TimeSpan.FromSeconds(1));
        var acceptor = new RecordingAcceptor();
        using var listening = net.B.Listen(9525, acceptor);
        var accepted = new RecordingStreamHandler();
        net.A.Connect(ServerEndpoint, accepted);
        net.Clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal(["closed"], refused.Events);
        Assert.Equal(["connected"], accepted.Events);
    }

    [Fact]
    public void An_acceptor_that_closes_at_once_sends_nothing_and_the_client_sees_the_close()
    {
        var net = new TwoHosts();
        using var listening = net.B.Listen(9525, new ClosingAcceptor());
        var client = new RecordingStreamHandler();

        net.A.Connect(ServerEndpoint, client);
        net.Clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal(["connected", "closed"], client.Events);
    }

    private sealed class ClosingAcceptor : Io.IStreamAcceptor
    {
        public Io.IStreamHandler Accept(Io.IStreamConnection connection)
        {
            connection.Close();
            return new RecordingStreamHandler();
        }
    }
}

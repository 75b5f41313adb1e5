using MyVpn.Net;
using MyVpn.Sim;
using MyVpn.Sim.Scenarios;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>Each host's own clocks over the one event queue: wall clock steps change nothing, a paused host's engine waits.</summary>
public sealed class HostClockTests
{
    private static readonly IPv4Address Pc2Address = IPv4Address.Parse("10.0.0.3");

    [Fact]
    public void A_wall_clock_step_moves_only_that_hosts_wall_clock()
    {
        var network = new SimNetwork(seed: 1);
        var a = network.AddHost("a", IPv4Address.Parse("192.0.2.1"));
        var b = network.AddHost("b", IPv4Address.Parse("192.0.2.2"));
        var timestamp = a.Time.GetTimestamp();

        a.Time.StepWall(TimeSpan.FromDays(-3));

        Assert.Equal(network.Clock.GetUtcNow() - TimeSpan.FromDays(3), a.Time.GetUtcNow());
        Assert.Equal(network.Clock.GetUtcNow(), b.Time.GetUtcNow());
        Assert.Equal(timestamp, a.Time.GetTimestamp());
    }

    [Fact]
    public void Hosts_monotonic_clocks_start_apart_and_run_at_the_same_rate()
    {
        var network = new SimNetwork(seed: 1);
        var a = network.AddHost("a", IPv4Address.Parse("192.0.2.1"));
        var b = network.AddHost("b", IPv4Address.Parse("192.0.2.2"));
        var (a0, b0) = (a.Time.GetTimestamp(), b.Time.GetTimestamp());

        network.Clock.RunFor(TimeSpan.FromSeconds(5));

        Assert.NotEqual(a0, b0);
        Assert.Equal(TimeSpan.FromSeconds(5), a.Time.GetElapsedTime(a0));
        Assert.Equal(TimeSpan.FromSeconds(5), b.Time.GetElapsedTime(b0));
    }

    [Fact]
    public void Stepping_every_wall_clock_back_and_forth_leaves_the_run_unchanged()
    {
        var plain = Run(seed: 11, step: false);
        var stepped = Run(seed: 11, step: true);

        Assert.Equal(plain, stepped);
    }

    private static string Run(ulong seed, bool step)
    {
        var net = SeedNetwork.Connected(seed);
        for (var i = 0; i < 20; i++)
        {
            if (step)
            {
                foreach (var host in net.Network.Hosts)
                    host.Time.StepWall(TimeSpan.FromDays(i % 2 == 0 ? 40 : -41) + TimeSpan.FromMinutes(host.Index));
            }
            net.Ping(net.Pc1.Host, Pc2Address);
            net.Clock.RunFor(TimeSpan.FromSeconds(15)); // keepalives and a rekey pass
        }
        Assert.False(net.Network.Violations.Any, net.Network.Violations.First);
        return net.Network.Trace.Fingerprint;
    }

    [Fact]
    public void A_paused_hosts_timer_fires_once_at_resume_then_keeps_its_period()
    {
        var network = new SimNetwork(seed: 1);
        var host = network.AddHost("a", IPv4Address.Parse("192.0.2.1"));
        var fired = new List<TimeSpan>();
        using var timer = host.Time.CreateTimer(_ => fired.Add(network.Clock.Elapsed), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        network.Clock.RunFor(TimeSpan.FromSeconds(2.5));
        host.Pause(TimeSpan.FromSeconds(10));
        network.Clock.RunFor(TimeSpan.FromSeconds(9.9));
        var duringPause = fired.Count;
        network.Clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal(2, duringPause);
        Assert.Equal([1, 2, 12.5, 13], fired.Select(t => t.TotalSeconds));
    }

    [Fact]
    public void A_timer_disposed_while_its_host_is_paused_does_not_fire_at_resume()
    {
        var network = new SimNetwork(seed: 1);
        var host = network.AddHost("a", IPv4Address.Parse("192.0.2.1"));
        var fired = 0;
        var timer = host.Time.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        host.Pause(TimeSpan.FromSeconds(5));
        network.Clock.RunFor(TimeSpan.FromSeconds(2));
        timer.Dispose();
        network.Clock.RunFor(TimeSpan.FromSeconds(5));

        Assert.Equal(0, fired);
    }

    [Fact]
    public void Datagrams_to_a_paused_host_wait_in_its_socket_buffer_and_the_overflow_is_dropped()
    {
        var network = new SimNetwork(seed: 1);
        var sender = network.AddHost("a", IPv4Address.Parse("192.0.2.1"));
        var receiver = network.AddHost("b", IPv4Address.Parse("192.0.2.2"));
        var readable = new List<TimeSpan>();
        var received = 0;
        var buffers = Enumerable.Range(0, 64).Select(_ => new MyVpn.Io.PacketBuffer(64)).ToArray();
        receiver.Bind(7000, t =>
        {
            readable.Add(network.Clock.Elapsed);
            int n;
            while ((n = t.Receive(buffers)) > 0)
                received += n;
        });
        var from = sender.Bind(0, _ => { });
        var to = new NetEndpoint(receiver.Address, 7000);

        receiver.Pause(TimeSpan.FromSeconds(3));
        var datagram = new MyVpn.Io.PacketBuffer(64) { Endpoint = to, Length = 10 };
        for (var i = 0; i < SimDatagramTransport.ReceiveQueueCapacity + 100; i++)
            from.Send([datagram]);
        network.Clock.RunFor(TimeSpan.FromSeconds(5));

        Assert.Equal([3.0], readable.Select(t => t.TotalSeconds));
        Assert.Equal(SimDatagramTransport.ReceiveQueueCapacity, received);
    }

    [Fact]
    public void A_client_paused_past_its_session_timeout_and_rekey_connects_again_on_resume()
    {
        var net = SeedNetwork.Connected(seed: 12);
        var connections = net.Pc1.Connections;

        net.Pc1.Host.Pause(TimeSpan.FromMinutes(10));
        net.Clock.RunFor(TimeSpan.FromMinutes(9));
        var sessionsWhilePaused = net.ServerEngine!.SessionCount;
        net.Clock.RunFor(TimeSpan.FromMinutes(1));
        var reply = net.PingUntilReplied(net.Pc1.Host, () => Pc2Address, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1));

        Assert.Equal(1, sessionsWhilePaused); // the server expired pc1's session meanwhile
        Assert.NotNull(reply);
        Assert.True(net.Pc1.Connections > connections, "pc1 did not handshake again after the pause");
        Assert.False(net.Network.Violations.Any, net.Network.Violations.First);
    }

    [Fact]
    public void A_paused_server_serves_again_on_resume()
    {
        var net = SeedNetwork.Connected(seed: 13);

        net.Server.Pause(TimeSpan.FromSeconds(30));
        var duringPause = net.Ping(net.Pc1.Host, Pc2Address, TimeSpan.FromSeconds(5));
        var answeredDuringPause = duringPause!.Replied;
        net.Clock.RunFor(TimeSpan.FromSeconds(30));
        var reply = net.PingUntilReplied(net.Pc1.Host, () => Pc2Address, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1));

        Assert.False(answeredDuringPause);
        Assert.True(duringPause.Replied, "the ping that waited in the paused server's socket was not forwarded at resume");
        Assert.NotNull(reply);
        Assert.False(net.Network.Violations.Any, net.Network.Violations.First);
    }
}

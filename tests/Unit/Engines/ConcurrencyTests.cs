using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Engines;

/// <summary>
/// The engines driven from several real threads at once, as the Linux host drives them: a tun thread
/// per engine and a thread per socket. Nothing may be lost, duplicated or reordered within a flow, and
/// sessions that come and go during traffic may neither throw nor misroute.
/// </summary>
public sealed class ConcurrencyTests
{
    private const int ToServer = 1, ToPc1 = 2, Pc2ToPc1 = 3, ToPc2 = 4;

    [Fact]
    public void Both_directions_of_every_engine_run_at_once_and_every_flow_arrives_whole_and_in_order()
    {
        using var world = new ThreadedWorld("pc1", "pc2");
        var (pc1, pc1Tun) = world.Connect("pc1");
        var (pc2, pc2Tun) = world.Connect("pc2");
        const int Large = 20_000;
        // pc1's session is sealed to by two threads at once (the server's tun thread and pc2's socket
        // thread): together they stay inside the replay window, so no scheduling can make one too old
        const int Small = 1_800;
        var failures = new List<Exception>();

        var fromPc1 = Enumerable.Range(0, Large).Select(i => FlowRecorder.Packet("10.0.0.2", "8.8.8.8", ToServer, i)).ToArray();
        var fromPc2 = Enumerable.Range(0, Small).Select(i => FlowRecorder.Packet("10.0.0.3", "10.0.0.2", Pc2ToPc1, i)).ToArray();
        var fromServer = new List<byte[]>();
        for (var i = 0; i < Large; i++)
        {
            fromServer.Add(FlowRecorder.Packet("8.8.8.8", "10.0.0.3", ToPc2, i, payloadLength: 1200));
            if (i < Small)
                fromServer.Add(FlowRecorder.Packet("8.8.4.4", "10.0.0.2", ToPc1, i));
        }
        var threads = new[]
        {
            ThreadedWorld.Drive("pc1 tun", pc1Tun, pc1.OnTunReadable, fromPc1, (world.ServerTun.Written, ToServer, n => n), failures),
            ThreadedWorld.Drive("pc2 tun", pc2Tun, pc2.OnTunReadable, fromPc2, (pc1Tun.Written, Pc2ToPc1, n => n), failures),
            ThreadedWorld.Drive("server tun", world.ServerTun, world.Server.OnTunReadable, fromServer,
                (pc2Tun.Written, ToPc2, n => Math.Max(n - Small, n / 2)), failures),
        };
        foreach (var thread in threads)
            thread.Join();

        Assert.Empty(failures);
        Assert.True(world.ServerTun.Written.WaitFor(ToServer, Large, ThreadedWorld.Stall));
        Assert.True(pc2Tun.Written.WaitFor(ToPc2, Large, ThreadedWorld.Stall));
        Assert.True(pc1Tun.Written.WaitFor(ToPc1, Small, ThreadedWorld.Stall));
        Assert.True(pc1Tun.Written.WaitFor(Pc2ToPc1, Small, ThreadedWorld.Stall));
        Assert.Equal(Enumerable.Range(0, Large), world.ServerTun.Written.Sequences(ToServer));
        Assert.Equal(Enumerable.Range(0, Large), pc2Tun.Written.Sequences(ToPc2));
        Assert.Equal(Enumerable.Range(0, Small), pc1Tun.Written.Sequences(ToPc1));
        Assert.Equal(Enumerable.Range(0, Small), pc1Tun.Written.Sequences(Pc2ToPc1));
        Assert.Equal([ToServer], world.ServerTun.Written.FlowsSeen());
        Assert.Equal([ToPc1, Pc2ToPc1], pc1Tun.Written.FlowsSeen());
        Assert.Equal([ToPc2], pc2Tun.Written.FlowsSeen());
        Assert.Empty(world.Network.Failures);
        Assert.Equal(0, world.Server.Drops.Total);
        Assert.Equal(0, pc1.Drops.Total);
        Assert.Equal(0, pc2.Drops.Total);
    }

    [Fact]
    public void Sessions_that_come_and_go_during_traffic_neither_throw_nor_misroute()
    {
        using var world = new ThreadedWorld("pc1", "pc2", "pc3");
        var (pc1, pc1Tun) = world.Connect("pc1");
        var failures = new List<Exception>();
        var stop = new CancellationTokenSource();
        var threads = new[]
        {
            Endless("pc1 tun", pc1Tun, pc1.OnTunReadable, seq => FlowRecorder.Packet("10.0.0.2", "8.8.8.8", ToServer, seq),
                _ => true, world.ServerTun.Written, ToServer, failures, stop.Token),
            // the server's kernel also keeps writing to the churning clients' addresses: flow 100 + last octet
            Endless("server tun", world.ServerTun, world.Server.OnTunReadable, seq => seq % 4 == 3
                    ? FlowRecorder.Packet("8.8.8.8", $"10.0.0.{3 + seq / 4 % 2}", 103 + seq / 4 % 2, seq)
                    : FlowRecorder.Packet("8.8.8.8", "10.0.0.2", ToPc1, seq),
                seq => seq % 4 != 3, pc1Tun.Written, ToPc1, failures, stop.Token),
        };

        var churned = new List<(byte LastOctet, ThreadedTun Tun)>();
        try
        {
            for (var round = 0; round < 12 && failures.Count == 0; round++)
            {
                var name = round % 2 == 0 ? "pc2" : "pc3";
                var (client, tun) = Churn(world, name, churned);
                var address = client.Grant!.ClientAddress.ToString();
                for (var i = 0; i < 20; i++)
                {
                    tun.Inject(FlowRecorder.Packet(address, "8.8.8.8", 200 + round, i));
                    tun.Inject(FlowRecorder.Packet(address, "10.0.0.2", 300 + round, i));
                }
                client.OnTunReadable();
                if (round % 3 == 0)
                    Churn(world, name, churned); // the same name again: the server replaces the session mid-traffic
                client.Dispose();
                if (round % 4 == 3)
                    ExpireTheDisposed(world, pc1Tun);
            }
            foreach (var (engine, _) in world.Clients.Skip(1))
                engine.Dispose();
            ExpireTheDisposed(world, pc1Tun);
        }
        finally
        {
            stop.Cancel();
            foreach (var thread in threads)
                thread.Join();
            stop.Dispose();
        }

        Assert.Empty(failures);
        Assert.Empty(world.Network.Failures);
        Assert.Equal(["pc1"], world.Server.Sessions.Select(s => s.Name));
        Assert.Equal(1, pc1.Handshakes);
        // pc1's own flows, sealed and opened while sessions came and went around them: whole and in order
        var toServer = world.ServerTun.Written.Sequences(ToServer);
        Assert.Equal(Enumerable.Range(0, toServer.Length), toServer);
        var toPc1 = pc1Tun.Written.Sequences(ToPc1);
        Assert.Equal(Enumerable.Range(0, int.MaxValue).Where(s => s % 4 != 3).Take(toPc1.Length), toPc1);
        // nothing misrouted: every tun saw only flows addressed to it
        Assert.All(pc1Tun.Written.FlowsSeen(), f => Assert.True(f == ToPc1 || f >= 300, $"pc1 got flow {f}"));
        Assert.All(world.ServerTun.Written.FlowsSeen(), f => Assert.True(f == ToServer || f is >= 200 and < 300, $"the server got flow {f}"));
        foreach (var (octet, tun) in churned)
            Assert.All(tun.Written.FlowsSeen(), f => Assert.Equal(100 + octet, f));
        Assert.Equal(0, world.Server.Drops[DropReason.AuthenticationFailed]);
        Assert.Equal(0, world.Server.Drops[DropReason.SpoofedSource]);
        Assert.Equal(0, world.Server.Drops[DropReason.MalformedInnerPacket]);
        // pc1's session is sealed to by the server's tun thread and by the churning sessions' socket
        // threads at once: a forwarded datagram whose thread is preempted while more than a replay
        // window of the tun thread's overtakes it is dropped as replayed (counted, as UDP may lose it).
        // Nothing else may be dropped at pc1.
        Assert.Equal(pc1.Drops[DropReason.Replayed], pc1.Drops.Total);
        Assert.InRange(pc1.Drops[DropReason.Replayed], 0, 12 * 20);
    }

    private static (Client.VpnClient Engine, ThreadedTun Tun) Churn(ThreadedWorld world, string name, List<(byte, ThreadedTun)> churned)
    {
        var (client, tun) = world.Connect(name);
        churned.Add(((byte)(client.Grant!.ClientAddress.Value & 0xFF), tun));
        return (client, tun);
    }

    /// <summary>
    /// Moves the clock past the session timeout in 5-second steps; after each step waits until both of
    /// pc1's flows have moved on, so pc1's session sees traffic at every step and must survive.
    /// </summary>
    private static void ExpireTheDisposed(ThreadedWorld world, ThreadedTun pc1Tun)
    {
        for (var t = 0; t <= 125; t += 5)
        {
            world.Time.Advance(TimeSpan.FromSeconds(5));
            var toServer = world.ServerTun.Written.Count(ToServer) + 64;
            var toPc1 = pc1Tun.Written.Count(ToPc1) + 64;
            Assert.True(world.ServerTun.Written.WaitFor(ToServer, toServer, ThreadedWorld.Stall), "pc1's flow to the server stalled");
            Assert.True(pc1Tun.Written.WaitFor(ToPc1, toPc1, ThreadedWorld.Stall), "the flow to pc1 stalled");
        }
    }

    /// <summary>A tun thread that sends until stopped, at most a window of its paced flow in flight.</summary>
    private static Thread Endless(string name, ThreadedTun tun, Action onTunReadable, Func<int, byte[]> packet,
        Func<int, bool> isPaced, FlowRecorder pacedAt, int pacedFlow, List<Exception> failures, CancellationToken stop)
    {
        return ThreadedWorld.Start(name, failures, () =>
        {
            var sent = 0;
            var paced = 0;
            while (!stop.IsCancellationRequested)
            {
                for (var i = 0; i < 16; i++, sent++)
                {
                    tun.Inject(packet(sent));
                    if (isPaced(sent))
                        paced++;
                }
                onTunReadable();
                // a hang guard while running; once stopped, whatever is in flight may stay there
                while (!stop.IsCancellationRequested && !pacedAt.WaitFor(pacedFlow, paced - 500, TimeSpan.FromMilliseconds(50)))
                {
                }
            }
        });
    }
}

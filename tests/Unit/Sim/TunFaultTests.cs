using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Sim;
using MyVpn.Sim.Scenarios;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>
/// The tun device's faults on the seed network: they really happen (drops counted, reads fail, packets wait), the
/// engines keep serving what does not need the failing device, and everything works again once the fault ends.
/// </summary>
public sealed class TunFaultTests
{
    private static readonly IPv4Address Pc1Address = IPv4Address.Parse("10.0.0.2");
    private static readonly IPv4Address Pc2Address = IPv4Address.Parse("10.0.0.3");

    [Fact]
    public void Failing_server_tun_writes_are_counted_while_client_to_client_traffic_still_flows()
    {
        var net = SeedNetwork.Connected(seed: 1);

        net.FailTunWrites(net.Server, TimeSpan.FromSeconds(10), "ENOBUFS");
        var toInternet = net.Ping(net.Pc1.Host, SeedNetwork.InternetAddress, TimeSpan.FromSeconds(2));
        var toPc2 = net.Ping(net.Pc1.Host, Pc2Address, TimeSpan.FromSeconds(2));

        Assert.False(toInternet!.Replied);
        Assert.True(net.ServerEngine!.Drops[DropReason.TunQueueFull] > 0);
        Assert.True(toPc2!.Replied, "socket to socket on the server needs no tun");
    }

    [Fact]
    public void Tun_writes_pass_again_when_the_fault_ends()
    {
        var net = SeedNetwork.Connected(seed: 1);

        net.FailTunWrites(net.Pc2.Host, TimeSpan.FromSeconds(3), "EAGAIN");
        var during = net.Ping(net.Pc1.Host, Pc2Address, TimeSpan.FromSeconds(1));
        net.Clock.RunFor(TimeSpan.FromSeconds(3));
        var after = net.Ping(net.Pc1.Host, Pc2Address);

        Assert.False(during!.Replied);
        Assert.Equal(1, net.Pc2.Engine!.Drops[DropReason.TunQueueFull]);
        Assert.True(after!.Replied);
    }

    [Fact]
    public void A_stalled_writer_queues_packets_and_delivers_them_when_it_moves()
    {
        var net = SeedNetwork.Connected(seed: 1);

        net.StallTunWriter(net.Pc2.Host, TimeSpan.FromSeconds(5));
        var ping = net.Network.StartPing(net.Pc1.Host, Pc2Address)!;
        net.Clock.RunFor(TimeSpan.FromSeconds(1));
        var waiting = net.Pc2.Host.Tun.StalledWrites;
        net.Clock.RunUntil(() => ping.Replied, TimeSpan.FromSeconds(10));

        Assert.Equal(1, waiting);
        Assert.True(ping.Replied, "the echo request reaches pc2 once its writer moves");
        Assert.Equal(0, net.Pc2.Engine!.Drops[DropReason.TunQueueFull]);
    }

    [Fact]
    public void A_stalled_writer_drops_and_counts_what_its_queue_cannot_hold()
    {
        var net = SeedNetwork.Connected(seed: 1);
        var extra = 5;

        net.StallTunWriter(net.Pc2.Host, TimeSpan.FromSeconds(20));
        for (var i = 0; i < SimTunDevice.StalledWriterCapacity + extra; i++)
            net.Network.StartPing(net.Pc1.Host, Pc2Address);
        net.Clock.RunFor(TimeSpan.FromSeconds(2));
        var toServer = net.Ping(net.Pc1.Host, net.ServerVpnAddress);

        Assert.Equal(SimTunDevice.StalledWriterCapacity, net.Pc2.Host.Tun.StalledWrites);
        Assert.Equal(extra, net.Pc2.Engine!.Drops[DropReason.TunQueueFull]);
        Assert.True(toServer!.Replied, "another session's traffic does not wait behind pc2's writer");
    }

    [Fact]
    public void A_vanished_server_tun_stops_the_daemon_which_restarts_and_serves_again()
    {
        var net = SeedNetwork.Connected(seed: 1);
        var tun = net.Server.Tun;

        net.VanishTun(net.Server, TimeSpan.FromSeconds(5));
        var during = net.Ping(net.Pc1.Host, Pc2Address, TimeSpan.FromSeconds(2));
        var write = tun.Write([new MyVpn.Io.PacketBuffer(64) { Length = 20 }]);
        var after = net.PingUntilReplied(net.Pc1.Host, () => net.Pc1.VpnAddress is null ? null : Pc2Address,
            TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(1));

        Assert.True(tun.IsGone);
        Assert.Equal(new MyVpn.Io.TunWriteResult(1, DropReason.TunUnavailable), write);
        Assert.False(during!.Replied);
        Assert.NotSame(tun, net.Server.Tun);
        Assert.NotNull(after);
    }

    [Fact]
    public void A_vanished_tun_reads_nothing_and_the_fault_ends_when_the_network_heals()
    {
        var net = SeedNetwork.Connected(seed: 1);
        var tun = net.Pc1.Host.Tun;

        net.VanishTun(net.Pc1.Host, TimeSpan.FromSeconds(20));
        var read = tun.Read(new[] { new MyVpn.Io.PacketBuffer(2048) });
        net.Heal();

        Assert.Equal(0, read);
        Assert.Equal(1, tun.FailedReads);
        Assert.NotNull(net.Pc1.Engine);
        Assert.True(net.Connect(net.Pc1, TimeSpan.FromSeconds(60)));
        Assert.True(net.Ping(net.Pc1.Host, net.ServerVpnAddress)!.Replied);
    }

    public static TheoryData<string> Variants => new() { "vanish", "writes fail", "writer stall" };

    [Theory]
    [MemberData(nameof(Variants))]
    public void A_chaos_seed_with_the_fault_passes(string variant)
    {
        var seed = FirstSeedWith(variant);
        var trace = new StringWriter();

        var result = ChaosScenario.Run(seed, recorders: new ScenarioRecorders { Trace = trace });

        Assert.Contains(variant switch { "vanish" => "tun device vanishes", "writes fail" => "tun writes fail", _ => "tun writer stalls" }, trace.ToString());
        Assert.True(result.Passed, $"{result.Failure}\nreproduce: {result.Reproduction}");
    }

    /// <summary>The first seed whose plan draws the variant (the draw is cheap; the seed stays the same while the plan's draw does).</summary>
    private static ulong FirstSeedWith(string variant)
    {
        for (var seed = 1UL; seed < 5000; seed++)
        {
            var (_, plan) = ChaosScenario.Draw(seed);
            if (plan.Events.Any(e => variant switch
                {
                    "vanish" => e.Kind == FaultKind.TunFailure && e.Variant < 500,
                    "writes fail" => e.Kind == FaultKind.TunFailure && e.Variant >= 500,
                    _ => e.Kind == FaultKind.TunWriterStall,
                }))
                return seed;
        }
        throw new InvalidOperationException($"no seed below 5000 draws {variant}");
    }
}

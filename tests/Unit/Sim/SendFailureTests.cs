using MyVpn.Protocol;
using MyVpn.Sim;
using MyVpn.Sim.Scenarios;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>
/// The <see cref="FaultKind.SendFailure"/> fault: a host's UDP sends really fail, the engine counts each refused
/// datagram under the kernel's reason, and the tunnel works again once the fault ends.
/// </summary>
public sealed class SendFailureTests
{
    [Theory]
    [InlineData(0, DropReason.SendBufferFull)]
    [InlineData(1, DropReason.SendNoBuffers)]
    [InlineData(2, DropReason.SendTooBig)]
    [InlineData(3, DropReason.SendBufferFull)]
    public void A_clients_failing_sends_are_counted_drops_and_pings_come_back_after(int mode, DropReason reason)
    {
        var net = SeedNetwork.Connected(seed: 31);
        var host = net.Pc1.Host;
        var fault = new SimSendFault((SendFaultMode)mode, sizeLimit: 64, net.Network.Random.Fork("test"));

        net.FailSends(host, fault, TimeSpan.FromSeconds(10));
        for (var i = 0; i < 20; i++)
        {
            net.Network.StartPing(host, net.ServerVpnAddress);
            net.Clock.RunFor(TimeSpan.FromMilliseconds(400));
        }
        var refused = host.RefusedSends;
        var counted = net.Pc1.Engine!.Drops[reason];
        net.Clock.RunFor(TimeSpan.FromSeconds(3));
        var after = net.PingUntilReplied(host, () => net.ServerVpnAddress, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1));

        Assert.True(refused[reason] > 0, $"no send was refused: {refused}");
        Assert.Equal(refused.Dropped, refused[reason]);
        Assert.Equal(refused[reason], counted);
        Assert.NotNull(after);
        Assert.Null(net.Network.Violations.First);
    }

    [Fact]
    public void The_servers_failing_sends_are_counted_by_the_server()
    {
        var net = SeedNetwork.Connected(seed: 32);
        net.FailSends(net.Server, new SimSendFault(SendFaultMode.NoBuffers, 0, net.Network.Random.Fork("test")), TimeSpan.FromSeconds(5));
        for (var i = 0; i < 5; i++)
        {
            net.Network.StartPing(net.Pc1.Host, net.ServerVpnAddress);
            net.Clock.RunFor(TimeSpan.FromMilliseconds(500));
        }

        Assert.True(net.Server.RefusedSends.NoBuffers > 0);
        Assert.Equal(net.Server.RefusedSends.NoBuffers, net.ServerEngine!.Drops[DropReason.SendNoBuffers]);
    }

    [Fact]
    public void Sends_work_again_when_the_network_heals_before_the_fault_ends()
    {
        var net = SeedNetwork.Connected(seed: 33);
        net.FailSends(net.Pc1.Host, new SimSendFault(SendFaultMode.BufferFull, 0, net.Network.Random.Fork("test")), TimeSpan.FromMinutes(5));

        net.Heal();

        Assert.Null(net.Pc1.Host.SendFault);
        Assert.NotNull(net.PingUntilReplied(net.Pc1.Host, () => net.ServerVpnAddress, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_seed_whose_plan_fails_sends_passes(int mode)
    {
        var seed = FirstSeedWith((SendFaultMode)mode);

        var result = ChaosScenario.Run(seed);

        Assert.True(result.Passed, $"{result.Failure}\nreproduce: {result.Reproduction}");
    }

    /// <summary>The first seed whose drawn plan has a send failure of <paramref name="mode"/> early enough to strike.</summary>
    private static ulong FirstSeedWith(SendFaultMode mode)
    {
        for (ulong seed = 1; seed < 5000; seed++)
        {
            var (_, plan) = ChaosScenario.Draw(seed);
            if (plan.Events.Any(e => e.Kind == FaultKind.SendFailure && SendFailureFault.ModeOf(e.Variant) == mode && e.Duration > TimeSpan.FromSeconds(2)))
                return seed;
        }
        throw new InvalidOperationException($"no seed below 5000 draws a {mode} send failure");
    }
}

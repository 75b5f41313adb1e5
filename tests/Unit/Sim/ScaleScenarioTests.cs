using MyVpn.Sim.Scenarios;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

public sealed class ScaleScenarioTests
{
    [Fact]
    public void Three_hundred_clients_connect_ping_each_other_and_hold_idle_sessions_past_the_timeout()
    {
        var report = ScaleScenario.Run(seed: 300, clients: 300, measureMemory: false);

        Assert.Equal(300, report.ServerPingsAnswered);
        Assert.Equal(300, report.PeerPingsAnswered);
        Assert.True(report.Idle > report.SessionTimeout, $"idle {report.Idle} is not past the session timeout {report.SessionTimeout}");
        Assert.Equal(300, report.ClientsKeptAlive);
        Assert.Equal(300, report.ClientsKeptAliveByServer);
        Assert.Equal(0, report.Reconnected);
        Assert.Equal(300, report.ServerSessions);
        Assert.Equal(300, report.PingsAnsweredAfterIdle);
        Assert.Null(report.Violation);
        Assert.True(report.Passed);
    }

    [Fact]
    public void Measuring_the_servers_footprint_lets_go_of_the_whole_engine()
    {
        var report = ScaleScenario.Run(seed: 30, clients: 30, measureMemory: true);

        Assert.True(report.Passed);
        var footprint = Assert.IsType<ServerFootprint>(report.Footprint);
        var empty = Assert.IsType<ServerFootprint>(report.EmptyFootprint);
        Assert.Equal(30, footprint.Sessions);
        Assert.Equal(0, empty.Sessions);
        // No figure is asserted: other tests allocate in this process at the same time. MeasureAndDetach throws
        // when anything outside the engine still holds it, which would make the figure meaningless.
    }
}

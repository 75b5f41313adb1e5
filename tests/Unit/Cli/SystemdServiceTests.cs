using Microsoft.Extensions.Logging.Abstractions;
using MyVpn.Cli.Hosting;
using MyVpn.Linux;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Cli;

/// <summary>
/// <see cref="SystemdService"/> around a reload, against a real notify socket: RELOADING=1 (with the
/// monotonic clock) before, READY=1 after, whether the reload was applied, refused or threw; a refusal
/// shows in the STATUS line.
/// </summary>
public sealed class SystemdServiceTests
{
    [Fact]
    public void A_reload_is_framed_by_RELOADING_and_READY_with_the_ready_status()
    {
        using var socket = NotifySocket.AtPath();
        using var service = new SystemdService(new SystemdNotifier(socket.Name, NullLogger.Instance), NullLogger.Instance);
        using var pollers = new PollerSet(NullLoggerFactory.Instance, 0);
        service.Ready("tun0 10.0.0.1/24", pollers);
        socket.Waiting();

        var during = new List<string>();
        var reply = service.Reload(() =>
        {
            during.AddRange(socket.Waiting());
            return "ok\nclients: 1 added";
        });

        Assert.Equal("ok\nclients: 1 added", reply);
        var reloading = Assert.Single(during);
        Assert.Matches(@"^RELOADING=1\nMONOTONIC_USEC=\d+$", reloading);
        Assert.Equal(["READY=1\nSTATUS=tun0 10.0.0.1/24"], socket.Waiting());
    }

    [Fact]
    public void A_refused_reload_still_ends_with_READY_and_says_why_in_the_status()
    {
        using var socket = NotifySocket.AtPath();
        using var service = new SystemdService(new SystemdNotifier(socket.Name, NullLogger.Instance), NullLogger.Instance);
        using var pollers = new PollerSet(NullLoggerFactory.Instance, 0);
        service.Ready("tun0 10.0.0.1/24", pollers);
        socket.Waiting();

        var reply = service.Reload(() => "error: server.toml:7: clients[1].address: not a host address");

        Assert.StartsWith("error: ", reply);
        var messages = socket.Waiting();
        Assert.Equal(2, messages.Count);
        Assert.StartsWith("RELOADING=1\n", messages[0]);
        Assert.Equal("READY=1\nSTATUS=tun0 10.0.0.1/24; reload refused: server.toml:7: clients[1].address: not a host address", messages[1]);
    }

    [Fact]
    public void A_reload_that_throws_still_sends_READY()
    {
        using var socket = NotifySocket.AtPath();
        using var service = new SystemdService(new SystemdNotifier(socket.Name, NullLogger.Instance), NullLogger.Instance);

        Assert.Throws<InvalidOperationException>(() => service.Reload(() => throw new InvalidOperationException("boom")));

        var messages = socket.Waiting();
        Assert.Equal(2, messages.Count);
        Assert.StartsWith("RELOADING=1\n", messages[0]);
        Assert.StartsWith("READY=1\n", messages[1]);
    }
}

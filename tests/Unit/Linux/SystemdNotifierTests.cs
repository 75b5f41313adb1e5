using Microsoft.Extensions.Logging.Abstractions;
using MyVpn.Linux;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Linux;

/// <summary>
/// <see cref="SystemdNotifier"/> against a real AF_UNIX datagram socket given as NOTIFY_SOCKET: each
/// message is one datagram of <c>KEY=value</c> lines exactly as sd_notify(3) sends them; without a
/// socket, or with nobody listening, nothing breaks.
/// </summary>
public sealed class SystemdNotifierTests
{
    [Fact]
    public void Ready_is_one_datagram_with_READY_and_the_status()
    {
        using var socket = NotifySocket.AtPath();
        using var notifier = new SystemdNotifier(socket.Name, NullLogger.Instance);

        Assert.True(notifier.IsEnabled);
        notifier.Ready("tun0 10.0.0.1/24, handshakes on tcp 0.0.0.0:9525");

        Assert.Equal(["READY=1\nSTATUS=tun0 10.0.0.1/24, handshakes on tcp 0.0.0.0:9525"], socket.Waiting());
    }

    [Fact]
    public void Watchdog_stopping_and_status_are_sent_as_systemd_expects_them()
    {
        using var socket = NotifySocket.AtPath();
        using var notifier = new SystemdNotifier(socket.Name, NullLogger.Instance);

        notifier.Watchdog();
        notifier.Status("connecting to 192.0.2.1:9525");
        notifier.Stopping("stopping");

        Assert.Equal(["WATCHDOG=1", "STATUS=connecting to 192.0.2.1:9525", "STOPPING=1\nSTATUS=stopping"], socket.Waiting());
    }

    [Fact]
    public void Reloading_carries_the_monotonic_clock_in_microseconds()
    {
        using var socket = NotifySocket.AtPath();
        using var notifier = new SystemdNotifier(socket.Name, NullLogger.Instance);

        var before = SystemdNotifier.MonotonicMicroseconds();
        notifier.Reloading();
        var after = SystemdNotifier.MonotonicMicroseconds();

        var message = Assert.Single(socket.Waiting());
        var lines = message.Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Equal("RELOADING=1", lines[0]);
        Assert.StartsWith("MONOTONIC_USEC=", lines[1]);
        var usec = long.Parse(lines[1]["MONOTONIC_USEC=".Length..]);
        Assert.InRange(usec, before, after);
    }

    [Fact]
    public void An_abstract_socket_name_starting_with_at_is_reached()
    {
        using var socket = NotifySocket.Abstract();
        using var notifier = new SystemdNotifier(socket.Name, NullLogger.Instance);

        notifier.Watchdog();

        Assert.Equal(["WATCHDOG=1"], socket.Waiting());
    }

    [Fact]
    public void A_status_with_a_line_break_stays_one_status_line()
    {
        using var socket = NotifySocket.AtPath();
        using var notifier = new SystemdNotifier(socket.Name, NullLogger.Instance);

        notifier.Status("first\nREADY=1");

        Assert.Equal(["STATUS=first READY=1"], socket.Waiting());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_NOTIFY_SOCKET_nothing_is_sent_and_nothing_fails(string? notifySocket)
    {
        using var notifier = new SystemdNotifier(notifySocket, NullLogger.Instance);

        Assert.False(notifier.IsEnabled);
        notifier.Ready("up");
        notifier.Reloading();
        notifier.Watchdog();
        notifier.Stopping("down");
        Assert.False(notifier.Send("READY=1"));
    }

    [Fact]
    public void With_nobody_listening_a_send_fails_quietly_and_is_logged_once()
    {
        var directory = Directory.CreateTempSubdirectory("myvpn-notify-").FullName;
        try
        {
            var logger = new ListLogger<SystemdNotifierTests>();
            using var notifier = new SystemdNotifier(Path.Combine(directory, "nobody"), logger);

            Assert.False(notifier.Send("READY=1"));
            Assert.False(notifier.Send("WATCHDOG=1"));

            var warning = Assert.Single(logger.Warnings);
            Assert.Contains(Path.Combine(directory, "nobody"), warning);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("30000000", null, 15_000)]   // WatchdogSec=30s: ping every 15 s
    [InlineData("400000", "4242", 200)]       // meant for this process
    [InlineData("400000", "4243", null)]      // meant for another process
    [InlineData("0", null, null)]
    [InlineData("-5", null, null)]
    [InlineData("soon", null, null)]
    [InlineData(null, null, null)]
    [InlineData("400000", "pid", null)]
    public void The_watchdog_interval_is_half_of_WATCHDOG_USEC_for_this_process_only(string? usec, string? pid, int? milliseconds)
    {
        Assert.Equal(milliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : null, SystemdNotifier.WatchdogInterval(usec, pid, 4242));
    }
}

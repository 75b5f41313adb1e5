using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MyVpn.Linux;
using MyVpn.Linux.Interop;
using MyVpn.Tests.Unit.Support;
using Xunit;
using static MyVpn.Tests.Unit.Support.SeqPacketPair;

namespace MyVpn.Tests.Unit.Linux;

/// <summary>
/// <see cref="ServiceWatchdog"/> over real pollers and a real notify socket, on a fake clock: WATCHDOG=1 goes
/// out each interval while every I/O thread answers, stops while one is stuck in a callback, and resumes
/// once it answers again.
/// </summary>
public sealed class ServiceWatchdogTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>Waits until every poller has come round to the nudge it was given (a real thread answering).</summary>
    private static void AwaitAnswers(IEnumerable<(Poller Poller, long Before)> pollers) =>
        Assert.True(SpinWait.SpinUntil(() => pollers.All(p => p.Poller.WakeUps > p.Before), Patience), "a poller did not answer");

    [Fact]
    public void While_every_thread_answers_each_interval_sends_one_WATCHDOG()
    {
        using var socket = NotifySocket.AtPath();
        using var notifier = new SystemdNotifier(socket.Name, NullLogger.Instance);
        using var tun = new Poller(NullLogger.Instance, "myvpn-tun");
        using var udp = new Poller(NullLogger.Instance, "myvpn-udp0");
        var time = new FakeTimeProvider();
        var before = new[] { (tun, tun.WakeUps), (udp, udp.WakeUps) };
        using var watchdog = new ServiceWatchdog(notifier, Interval, [tun, udp, udp], time, NullLogger.Instance);

        for (var i = 0; i < 3; i++)
        {
            AwaitAnswers(before);
            before = [(tun, tun.WakeUps), (udp, udp.WakeUps)];
            time.Advance(Interval - TimeSpan.FromMilliseconds(1));
            Assert.Empty(socket.Waiting()); // not before the interval is over
            time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(["WATCHDOG=1"], socket.Waiting());
        }
    }

    [Fact]
    public void A_thread_stuck_in_a_callback_stops_the_pings_until_it_answers_again()
    {
        using var socket = NotifySocket.AtPath();
        using var notifier = new SystemdNotifier(socket.Name, NullLogger.Instance);
        using var healthy = new Poller(NullLogger.Instance, "myvpn-tun");
        using var stuck = new Poller(NullLogger.Instance, "myvpn-udp0");
        var (watched, peer) = Open();
        using var handle = new FileDescriptorHandle(watched);
        using var release = new ManualResetEventSlim();
        using var entered = new ManualResetEventSlim();
        using var watch = stuck.Watch(handle, () =>
        {
            entered.Set();
            release.Wait(); // a deadlock, as far as the watchdog can tell
            Recv(handle.Fd, new byte[16], 16, MSG_DONTWAIT);
        });
        var logger = new ListLogger<ServiceWatchdogTests>();
        var time = new FakeTimeProvider();
        try
        {
            Assert.Equal(1, (int)Send(peer, [1], 1, MSG_NOSIGNAL));
            Assert.True(entered.Wait(Patience));
            var before = healthy.WakeUps;
            using var watchdog = new ServiceWatchdog(notifier, Interval, [healthy, stuck], time, logger);
            AwaitAnswers([(healthy, before)]);

            // each tick nudges again: wait for the healthy thread's answer before the next, so only the stuck one is missing
            for (var tick = 0; tick < 2; tick++)
            {
                before = healthy.WakeUps;
                time.Advance(Interval);
                AwaitAnswers([(healthy, before)]);
            }
            Assert.Empty(socket.Waiting());
            var error = Assert.Single(logger.Warnings); // logged once, not at every interval
            Assert.Contains("myvpn-udp0", error);

            var stuckBefore = stuck.WakeUps;
            release.Set();
            AwaitAnswers([(stuck, stuckBefore)]);
            time.Advance(Interval);
            Assert.Equal(["WATCHDOG=1"], socket.Waiting());
            Assert.Contains(logger.Warnings, line => line.Contains("resumed"));
        }
        finally
        {
            release.Set();
            Close(peer);
        }
    }

    [Fact]
    public void After_dispose_nothing_is_sent()
    {
        using var socket = NotifySocket.AtPath();
        using var notifier = new SystemdNotifier(socket.Name, NullLogger.Instance);
        using var poller = new Poller(NullLogger.Instance);
        var time = new FakeTimeProvider();
        var before = poller.WakeUps;
        var watchdog = new ServiceWatchdog(notifier, Interval, [poller], time, NullLogger.Instance);
        AwaitAnswers([(poller, before)]);

        watchdog.Dispose();
        time.Advance(Interval);

        Assert.Empty(socket.Waiting());
    }
}

using System.Text.RegularExpressions;
using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// The data path allocates nothing per packet, measured on the real daemons: the status line each logs
/// on SIGUSR1 (GC counts, bytes allocated since start) is read before and after a transfer that crosses
/// pc1's client, the server (both directions) and pc2's client.
/// </summary>
public sealed partial class AllocationTests
{
    private const int SIGUSR1 = 10;
    private const int TransferBytes = 100 * 1024 * 1024;

    /// <summary>
    /// What a daemon may allocate during the transfer, whatever its length: a status line, a keepalive
    /// timer's work, a log line. ~75,000 packets pass each daemon, so one 24-byte object per packet
    /// (1.8 MB) is far over it.
    /// </summary>
    private const long AllowedBytes = 256 * 1024;

    /// <summary>Both thread layouts: one I/O thread (auto on this 2-CPU machine), and tun and sockets apart.</summary>
    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public async Task A_hundred_megabyte_transfer_allocates_next_to_nothing_in_any_daemon(string threads)
    {
        using var world = VpnWorld.Create();
        var server = await world.StartServer(["--config", world.ServerConfig, "--threads", threads]);
        var pc1 = await world.StartClient(world.Net.Pc1, "pc1", "--name", "pc1", "--key-file", world.KeyOf("pc1"), "--threads", threads);
        var pc2 = await world.StartClient(world.Net.Pc2, "pc2", "--name", "pc2", "--key-file", world.KeyOf("pc2"), "--threads", threads);
        Assert.All((RunningProcess[])[server, pc1, pc2], daemon => Assert.Contains($"I/O threads: {threads} (", daemon.Output));
        RunningProcess[] daemons = [server, pc1, pc2];

        await Transfer(world, 5 * 1024 * 1024); // first use of every path: JIT, static set-up, pools filled
        var before = await Status(daemons, 1);
        await Transfer(world, TransferBytes);
        var after = await Status(daemons, 2);

        for (var i = 0; i < daemons.Length; i++)
        {
            var allocated = after[i].Allocated - before[i].Allocated;
            Assert.True(allocated < AllowedBytes && after[i].Gen0 - before[i].Gen0 <= 1,
                $"{daemons[i].Label} allocated {allocated} bytes and ran {after[i].Gen0 - before[i].Gen0} gen0 collections "
                + $"while {TransferBytes} bytes went through\n{world.Logs()}");
        }
    }

    private static Task Transfer(VpnWorld world, int bytes) =>
        TcpTransfer.Run(world.Net.Pc1, world.Net.Pc2, "10.0.0.3", 5003, bytes, world.Logs);

    private readonly record struct Reading(int Gen0, long Allocated);

    /// <summary>Asks each daemon for its status line and waits for line number <paramref name="nth"/>.</summary>
    private static async Task<Reading[]> Status(RunningProcess[] daemons, int nth)
    {
        var readings = new Reading[daemons.Length];
        for (var i = 0; i < daemons.Length; i++)
        {
            var daemon = daemons[i];
            Signals.Send(daemon.Pid, SIGUSR1);
            Assert.True(await Eventually.Holds(() => StatusLine().Matches(daemon.Output).Count >= nth, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20)),
                $"{daemon.Label} logged no status line\n{daemon}");
            var match = StatusLine().Matches(daemon.Output)[nth - 1];
            readings[i] = new Reading(int.Parse(match.Groups[1].Value), long.Parse(match.Groups[2].Value));
        }
        return readings;
    }

    [GeneratedRegex(@"status: gc gen0 (\d+) gen1 \d+ gen2 \d+, allocated (\d+) bytes")]
    private static partial Regex StatusLine();
}

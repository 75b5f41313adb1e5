using System.Diagnostics;
using System.Text.RegularExpressions;
using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// The daemons under a stand-in for systemd: NOTIFY_SOCKET names a datagram socket the test bound,
/// WATCHDOG_USEC is small and JOURNAL_STREAM is set. READY=1 comes once the tunnel is up (the tun device,
/// the nftables table, the client's address are there when it arrives), WATCHDOG=1 keeps coming, SIGTERM
/// brings STOPPING=1, and every log line is in the journal's form.
/// </summary>
public sealed partial class SystemdNotifyTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static Dictionary<string, string> Systemd(NotifyListener notify) => new()
    {
        ["NOTIFY_SOCKET"] = notify.Path,
        ["WATCHDOG_USEC"] = "400000", // a ping every 200 ms
        ["JOURNAL_STREAM"] = "8:4242",
    };

    [Fact]
    public async Task Server_is_ready_once_its_tunnel_is_up_feeds_the_watchdog_and_says_stopping_on_sigterm()
    {
        using var world = VpnWorld.Create();
        var ns = world.Net.Server;
        using var notify = new NotifyListener(message => message.StartsWith("READY=1", StringComparison.Ordinal)
            ? Shell.Run("ip", ["-n", ns, "-br", "link", "show", "tun0"]).Output + Shell.Run("ip", ["netns", "exec", ns, "nft", "list", "tables"]).Output
            : null);
        var server = world.StartDaemon("server", ns, Systemd(notify), "server", "--config", world.ServerConfig);

        var ready = await notify.WaitFor(m => m.StartsWith("READY=1\n", StringComparison.Ordinal), Patience);
        Assert.True(ready >= 0, $"{notify}\n{world.Logs()}");
        Assert.Matches(@"^READY=1\nSTATUS=tun0 10\.0\.0\.1/24, handshakes on tcp 0\.0\.0\.0:9525$", notify.Messages[ready]);
        var atReady = notify.Observation(ready);
        Assert.NotNull(atReady);
        Assert.Contains("tun0", atReady);
        Assert.Contains("table ip myvpn_tun0", atReady);
        var firstPing = notify.Find(m => m == "WATCHDOG=1");
        Assert.True(firstPing < 0 || firstPing > ready, "WATCHDOG=1 before READY=1");
        // the listener was up too: a client gets its session
        await world.StartClient(world.Net.Pc1, "pc1", "--name", "pc1", "--key-file", world.KeyOf("pc1"));

        Assert.True(await Eventually.Holds(() => notify.Messages.Skip(ready).Count(m => m == "WATCHDOG=1") >= 3, Patience), notify.ToString());
        Assert.Equal(0, await server.Terminate(Patience));
        Assert.Contains(notify.Messages, m => m.StartsWith("STOPPING=1\nSTATUS=", StringComparison.Ordinal));
        AssertJournalFormat(server.Output);
    }

    [Fact]
    public async Task Client_is_ready_once_its_session_is_granted_and_its_address_applied()
    {
        using var world = VpnWorld.Create();
        var ns = world.Net.Pc1;
        using var notify = new NotifyListener(message => message.StartsWith("READY=1", StringComparison.Ordinal)
            ? Shell.Run("ip", ["-n", ns, "-4", "-o", "addr", "show", "dev", "tun0"]).Output
            : null);
        await world.StartServer();
        var client = world.StartDaemon("pc1", ns, Systemd(notify),
            "client", "--server", $"{Topology.ServerWan}:9525", "--name", "pc1", "--key-file", world.KeyOf("pc1"));

        var ready = await notify.WaitFor(m => m.StartsWith("READY=1\n", StringComparison.Ordinal), Patience);
        Assert.True(ready >= 0, $"{notify}\n{world.Logs()}");
        Assert.Equal($"READY=1\nSTATUS=connected to {Topology.ServerWan}:9525: tun0 10.0.0.2/24", notify.Messages[ready]);
        Assert.Contains("inet 10.0.0.2/24", notify.Observation(ready));
        Assert.StartsWith("STATUS=connecting to", notify.Messages[0]);
        Assert.True(Topology.Ping(ns, "10.0.0.1"), world.Logs());

        Assert.True(await Eventually.Holds(() => notify.Messages.Skip(ready).Count(m => m == "WATCHDOG=1") >= 3, Patience), notify.ToString());
        Assert.Equal(0, await client.Terminate(Patience));
        Assert.Contains(notify.Messages, m => m.StartsWith("STOPPING=1\nSTATUS=", StringComparison.Ordinal));
        AssertJournalFormat(client.Output);
    }

    [Fact]
    public async Task Sighup_is_framed_by_RELOADING_and_READY_and_a_refused_reload_says_why()
    {
        using var world = VpnWorld.Create();
        using var notify = new NotifyListener();
        var server = world.StartDaemon("server", world.Net.Server, Systemd(notify), "server", "--config", world.ServerConfig);
        var ready = await notify.WaitFor(m => m.StartsWith("READY=1\n", StringComparison.Ordinal), Patience);
        Assert.True(ready >= 0, $"{notify}\n{world.Logs()}");

        var before = MonotonicMicroseconds();
        Signals.Send(server.Pid, SIGHUP);
        var reloading = await notify.WaitFor(m => m.StartsWith("RELOADING=1\n", StringComparison.Ordinal), Patience);
        Assert.True(reloading > ready, $"{notify}\n{world.Logs()}");
        var readyAgain = await Next(notify, reloading, "READY=1\n");
        Assert.True(readyAgain > reloading, $"{notify}\n{world.Logs()}");
        var after = MonotonicMicroseconds();
        // the same clock systemd reads: CLOCK_MONOTONIC, in microseconds
        Assert.Matches(@"^RELOADING=1\nMONOTONIC_USEC=\d+$", notify.Messages[reloading]);
        Assert.InRange(long.Parse(notify.Messages[reloading].Split('=')[^1]), before, after);
        Assert.Equal(notify.Messages[ready], notify.Messages[readyAgain]);

        File.AppendAllText(world.ServerConfig, "\n[[clients]]\nname = \"pc3\"\naddress = \"10.0.1.5\"\n");
        Signals.Send(server.Pid, SIGHUP);
        var refused = await Next(notify, readyAgain, "READY=1\n");
        Assert.True(refused > readyAgain, $"{notify}\n{world.Logs()}");
        Assert.StartsWith("RELOADING=1\n", notify.Messages[notify.Find(m => m.StartsWith("RELOADING=1\n", StringComparison.Ordinal), readyAgain + 1)]);
        Assert.Contains("reload refused: ", notify.Messages[refused]);
        Assert.Contains("server.toml", notify.Messages[refused]);
        Assert.False(server.HasExited);
    }

    private const int SIGHUP = 1;

    /// <summary>The index of the first message after <paramref name="after"/> starting with <paramref name="prefix"/>, or -1.</summary>
    private static async Task<int> Next(NotifyListener notify, int after, string prefix)
    {
        var index = -1;
        await Eventually.Holds(() => (index = notify.Find(m => m.StartsWith(prefix, StringComparison.Ordinal), after + 1)) >= 0,
            Patience, TimeSpan.FromMilliseconds(50));
        return index;
    }

    /// <summary>CLOCK_MONOTONIC in microseconds (.NET's Stopwatch reads that clock on Linux).</summary>
    private static long MonotonicMicroseconds() => Stopwatch.GetTimestamp() / (Stopwatch.Frequency / 1_000_000);

    /// <summary>Every line starts with a syslog priority (<c>&lt;6&gt;</c> for information) and carries no time stamp.</summary>
    private static void AssertJournalFormat(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Matches(JournalLine(), line));
        Assert.DoesNotContain(lines, line => TimeStamp().IsMatch(line));
        Assert.Contains(lines, line => line.StartsWith("<6>", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^<[0-7]>\S")]
    private static partial Regex JournalLine();

    [GeneratedRegex(@"\b\d\d:\d\d:\d\d\.\d{3}\b")]
    private static partial Regex TimeStamp();
}

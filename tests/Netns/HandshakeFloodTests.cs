using MyVpn.Protocol;
using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// The handshake port under attack from one host, with the real daemon and kernel: a flood of idle
/// connections renewed as the server closes them, and a flood of one recorded ClientHello replayed.
/// Either way a legitimate client connects within 5 s, an established session keeps its keepalives,
/// and the server's log stays short. The floods (Scripts/handshake_flood.py) stop by themselves.
/// </summary>
public sealed class HandshakeFloodTests
{
    private static readonly TimeSpan ConnectBound = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FloodStart = TimeSpan.FromSeconds(30);
    private const string FloodSeconds = "20";
    private const string MaxConnections = "200000";
    private const int MaxServerLogLines = 300;

    private static string Script => Path.Combine(AppContext.BaseDirectory, "Scripts", "handshake_flood.py");

    [Fact]
    public async Task Four_hundred_idle_connections_from_one_host_renewed_as_closed_keep_no_client_out()
    {
        using var world = VpnWorld.Create();
        var server = await world.StartServer();
        using var flood = RunningProcess.Start("idle flood", world.Net.Pc2, "python3", Script,
            Topology.ServerWan, "9525", "idle", FloodSeconds, MaxConnections, "400");
        Assert.True(await flood.WaitForOutput("flooding", FloodStart), flood.ToString());

        var pc1 = world.StartClientNoWait(world.Net.Pc1, "pc1", "--name", "pc1", "--key-file", world.KeyOf("pc1"));
        Assert.True(await pc1.WaitForOutput("tunnel up", ConnectBound), world.Logs() + flood);
        Assert.True(Topology.Ping(world.Net.Pc1, "10.0.0.1", count: 3), world.Logs());

        Assert.True(await flood.WaitForExit(TimeSpan.FromSeconds(60)), flood.ToString());
        var (opened, _, closedByServer) = Counts(flood);
        Assert.True(opened > 400 && closedByServer > 400, $"the flood was not renewed: {flood}");
        AssertShortLog(server);
    }

    [Fact]
    public async Task Replayed_ClientHellos_from_one_host_keep_no_client_out_and_cost_a_session_no_keepalive()
    {
        using var world = VpnWorld.Create();
        var server = await world.StartServer();
        var pc1 = await world.StartClient(world.Net.Pc1, "pc1", "--name", "pc1", "--key-file", world.KeyOf("pc1"));
        using var flood = RunningProcess.Start("replay flood", world.Net.Internet, "python3", Script,
            Topology.ServerInternet, "9525", "replay", FloodSeconds, MaxConnections, "64", Convert.ToHexString(RecordedClientHello()));
        Assert.True(await flood.WaitForOutput("flooding", FloodStart), flood.ToString());

        var pc2 = world.StartClientNoWait(world.Net.Pc2, "pc2", "--name", "pc2", "--key-file", world.KeyOf("pc2"));
        Assert.True(await pc2.WaitForOutput("tunnel up", ConnectBound), world.Logs() + flood);
        // the established session keeps answering for as long as the flood lasts
        var rounds = 0;
        while (!flood.HasExited)
        {
            Assert.True(Topology.Ping(world.Net.Pc1, "10.0.0.1", count: 3), $"round {rounds}\n{world.Logs()}\n{flood}");
            rounds++;
        }
        Assert.True(Topology.Ping(world.Net.Pc1, "10.0.0.3", count: 3), world.Logs());

        var (opened, answered, _) = Counts(flood);
        Assert.True(opened > 1000 && answered > 1000, $"the flood did not reach the server: {flood}");
        Assert.DoesNotContain("silent for", pc1.Output);
        Assert.Single(pc1.Output.Split('\n'), l => l.Contains("connected to", StringComparison.Ordinal));
        AssertShortLog(server);
    }

    /// <summary>A genuine ClientHello, made the way the client makes one (a fresh P-256 key pair).</summary>
    private static byte[] RecordedClientHello()
    {
        using var key = EphemeralKey.Generate(SystemRandomSource.Instance);
        var body = new byte[HandshakeMessage.HelloLength];
        key.PublicKey.CopyTo(body, 0);
        return HandshakeMessage.Frame(HandshakeMessageType.ClientHello, body);
    }

    private static (long Opened, long Answered, long ClosedByServer) Counts(RunningProcess flood)
    {
        var last = flood.Output.Split('\n').Last(l => l.StartsWith("opened ", StringComparison.Ordinal)).Split(' ');
        return (long.Parse(last[1]), long.Parse(last[3]), long.Parse(last[5]));
    }

    private static void AssertShortLog(RunningProcess server)
    {
        var lines = server.Output.Split('\n').Length;
        Assert.True(lines < MaxServerLogLines, $"the server wrote {lines} lines\n{server}");
    }
}

using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// The real daemons with kernel offloads on (the default) and with <c>--no-offload</c> on every end:
/// bulk TCP crosses the tunnel intact both ways through the server, in both modes.
/// </summary>
public sealed class OffloadModeTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Bulk_TCP_crosses_the_tunnel_intact_with_and_without_offloads(bool offload)
    {
        using var world = VpnWorld.Create();
        string[] mode = offload ? [] : ["--no-offload"];
        var server = await world.StartServer(["--config", world.ServerConfig, .. mode]);
        var pc1 = await world.StartClient(world.Net.Pc1, "pc1", ["--name", "pc1", "--key-file", world.KeyOf("pc1"), .. mode]);
        var pc2 = await world.StartClient(world.Net.Pc2, "pc2", ["--name", "pc2", "--key-file", world.KeyOf("pc2"), .. mode]);
        var expected = offload ? "offloads: tun TSO4 + checksum offload on, UDP GSO on, UDP GRO on" : "offloads: off";
        foreach (var daemon in (RunningProcess[])[server, pc1, pc2])
            Assert.True(await daemon.WaitForOutput(expected, TimeSpan.FromSeconds(5)), daemon.ToString());

        // client to client: both clients' tun devices, and the server re-sealing between two sessions
        await Transfer(world, from: world.Net.Pc1, to: world.Net.Pc2, address: "10.0.0.3", megabytes: 50);
        // server to client: the server's tun device hands over what its own kernel sends
        await Transfer(world, from: world.Net.Server, to: world.Net.Pc1, address: "10.0.0.2", megabytes: 20);
        // client to server: the server writes what arrives into its own tun device
        await Transfer(world, from: world.Net.Pc2, to: world.Net.Server, address: "10.0.0.1", megabytes: 20);
        Assert.DoesNotContain("refused", server.Output + pc1.Output + pc2.Output);
    }

    private static async Task Transfer(VpnWorld world, string from, string to, string address, int megabytes)
    {
        var size = megabytes * 1024 * 1024;
        var scripts = Path.Combine(AppContext.BaseDirectory, "Scripts");
        using var sink = RunningProcess.Start("sink", to, "python3", Path.Combine(scripts, "tcp_sink.py"), address, "5002");
        Assert.True(await sink.WaitForOutput("listening", TimeSpan.FromSeconds(10)), sink.ToString());

        var source = Namespaces.Exec(from, "python3", Path.Combine(scripts, "tcp_source.py"), address, "5002", size.ToString());
        Assert.True(source.Succeeded, source + world.Logs());
        Assert.True(await sink.WaitForExit(TimeSpan.FromSeconds(60)), sink.ToString());

        var sent = source.Output.Trim();
        Assert.StartsWith($"{size} ", sent);
        Assert.Equal(sent, sink.Output.Split('\n').Last().Trim());
    }
}

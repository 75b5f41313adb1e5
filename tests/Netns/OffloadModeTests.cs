using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// The real daemons with kernel offloads on (the default), with <c>--no-offload</c> on every end, and
/// with offloads on the server only (each side's offloads are local: a GSO sender meets a receiver
/// without GRO, and the other way round): bulk TCP crosses the tunnel intact in every direction.
/// </summary>
public sealed class OffloadModeTests
{
    private const string AllOn = "offloads: tun TSO4 + checksum offload on, UDP GSO on, UDP GRO on";
    private const string Off = "offloads: off";

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(true, false)]
    public async Task Bulk_TCP_crosses_the_tunnel_intact_with_and_without_offloads(bool serverOffload, bool clientOffload)
    {
        using var world = VpnWorld.Create();
        string[] serverMode = serverOffload ? [] : ["--no-offload"];
        string[] clientMode = clientOffload ? [] : ["--no-offload"];
        var server = await world.StartServer(["--config", world.ServerConfig, .. serverMode]);
        var pc1 = await world.StartClient(world.Net.Pc1, "pc1", ["--name", "pc1", "--key-file", world.KeyOf("pc1"), .. clientMode]);
        var pc2 = await world.StartClient(world.Net.Pc2, "pc2", ["--name", "pc2", "--key-file", world.KeyOf("pc2"), .. clientMode]);
        Assert.True(await server.WaitForOutput(serverOffload ? AllOn : Off, TimeSpan.FromSeconds(5)), server.ToString());
        foreach (var client in (RunningProcess[])[pc1, pc2])
            Assert.True(await client.WaitForOutput(clientOffload ? AllOn : Off, TimeSpan.FromSeconds(5)), client.ToString());

        // client to client: both clients' tun devices, and the server re-sealing between two sessions
        await Transfer(world, from: world.Net.Pc1, to: world.Net.Pc2, address: "10.0.0.3", megabytes: 50);
        // server to client: the server's tun device hands over what its own kernel sends
        await Transfer(world, from: world.Net.Server, to: world.Net.Pc1, address: "10.0.0.2", megabytes: 20);
        // client to server: the server writes what arrives into its own tun device
        await Transfer(world, from: world.Net.Pc2, to: world.Net.Server, address: "10.0.0.1", megabytes: 20);
        Assert.DoesNotContain("refused", server.Output + pc1.Output + pc2.Output);
    }

    private static Task Transfer(VpnWorld world, string from, string to, string address, int megabytes) =>
        TcpTransfer.Run(from, to, address, 5002, megabytes * 1024 * 1024, world.Logs);
}

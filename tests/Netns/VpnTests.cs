using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>Two clients and the server, on real tun devices in namespaces.</summary>
[Collection(TwoClientsCollection.Name)]
public sealed class VpnTests(TwoClientsFixture fixture)
{
    private readonly VpnWorld _world = fixture.World;

    [Fact]
    public void Clients_ping_each_other_through_the_server()
    {
        Assert.True(Topology.Ping(_world.Net.Pc1, "10.0.0.3", count: 3), _world.Logs());
        Assert.True(Topology.Ping(_world.Net.Pc2, "10.0.0.2", count: 3), _world.Logs());
    }

    [Fact]
    public void Client_pings_the_servers_vpn_address()
    {
        Assert.True(Topology.Ping(_world.Net.Pc1, "10.0.0.1", count: 3), _world.Logs());
    }

    [Fact]
    public async Task Fifty_megabytes_cross_the_tunnel_from_pc1_to_pc2_intact()
    {
        const int size = 50 * 1024 * 1024;
        // both ends hash what they sent and received; the transfer asserts the two agree
        await TcpTransfer.Run(_world.Net.Pc1, _world.Net.Pc2, "10.0.0.3", 5001, size, _world.Logs);
    }

    [Fact]
    public async Task Client_with_a_wrong_key_is_refused_and_the_others_keep_working()
    {
        var wrongKey = Path.Combine(_world.Directory, "wrong.key");
        Assert.True(MyVpnBinary.Run("genkey", "-o", wrongKey).Succeeded);

        var impostor = _world.StartClientNoWait(_world.Net.Pc2, "impostor", "--name", "pc2", "--key-file", wrongKey, "--tun", "tun9");
        Assert.True(await impostor.WaitForExit(TimeSpan.FromSeconds(30)), impostor.ToString());

        Assert.Equal(3, impostor.ExitCode);
        Assert.Contains("authentication failed", impostor.Output);
        Assert.True(Topology.Ping(_world.Net.Pc1, "10.0.0.3", count: 3), _world.Logs());
        Assert.True(Topology.Ping(_world.Net.Pc2, "10.0.0.2", count: 3), _world.Logs());
    }
}

using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// The settings in server.toml: <c>block = ["203.0.113.0/24"]</c>, <c>allow</c> reopening 203.0.113.8 and
/// 169.254.169.254, <c>client_to_client = false</c>.
/// </summary>
public sealed class ReachSettingsTests(ReachSettingsTests.Fixture fixture) : IClassFixture<ReachSettingsTests.Fixture>
{
    private readonly VpnWorld _world = fixture.World;
    private readonly RunningProcess _server = fixture.Server;

    [Fact]
    public async Task A_block_range_is_blocked_and_an_allow_range_inside_it_reopens()
    {
        Assert.True(Topology.Ping(_world.Net.Server, ReachProbe.OtherInternetHost), "the second internet address is not set up");
        var before = await ReachProbe.Drops(_server, "BlockedRange");

        Assert.True(ReachProbe.Unreachable(_world.Net.Pc1, ReachProbe.OtherInternetHost), _world.Logs());
        Assert.True(ReachProbe.Ping(_world.Net.Pc1, Topology.InternetHost), _world.Logs());

        Assert.True(await ReachProbe.Drops(_server, "BlockedRange") >= before + 2, _server.ToString());
    }

    [Fact]
    public void Allow_reopens_a_range_blocked_by_default()
    {
        Assert.True(ReachProbe.Ping(_world.Net.Pc1, ReachProbe.Metadata), _world.Logs());
        Assert.True(ReachProbe.Unreachable(_world.Net.Pc1, Topology.ServerInternet), _world.Logs()); // a host address, not reopened
    }

    [Fact]
    public async Task Client_to_client_false_isolates_clients_while_each_still_reaches_the_server()
    {
        var before = await ReachProbe.Drops(_server, "ClientIsolation");

        Assert.True(ReachProbe.Unreachable(_world.Net.Pc1, "10.0.0.3"), _world.Logs());
        Assert.True(ReachProbe.Unreachable(_world.Net.Pc2, "10.0.0.2"), _world.Logs());
        Assert.True(ReachProbe.Ping(_world.Net.Pc1, "10.0.0.1"), _world.Logs());
        Assert.True(ReachProbe.Ping(_world.Net.Pc2, "10.0.0.1"), _world.Logs());

        Assert.True(await ReachProbe.Drops(_server, "ClientIsolation") >= before + 4, _server.ToString());
    }

    [Fact]
    public void The_table_holds_the_block_and_allow_ranges_and_drops_tun_to_tun()
    {
        var table = ReachProbe.ListTable(_world.Net.Server);

        Assert.True(table.Succeeded, table.ToString());
        var sets = table.Output[..table.Output.IndexOf("chain", StringComparison.Ordinal)];
        Assert.Contains("203.0.113.0/24", sets);
        Assert.Contains("203.0.113.8", sets);
        Assert.Contains("169.254.169.254", sets);
        Assert.Contains("iifname \"tun0\" oifname \"tun0\" counter packets", table.Output);
    }

    public sealed class Fixture : IAsyncLifetime
    {
        internal VpnWorld World { get; private set; } = null!;
        internal RunningProcess Server { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            World = VpnWorld.Create();
            ReachProbe.AddMetadataHost(World.Net);
            // top-level keys go before the [[clients]] tables
            File.WriteAllText(World.ServerConfig, $"""
                block = ["203.0.113.0/24"]
                allow = ["{Topology.InternetHost}", "{ReachProbe.Metadata}/32"]
                client_to_client = false

                """ + File.ReadAllText(World.ServerConfig));
            Server = await World.StartServer();
            await World.StartClient(World.Net.Pc1, "pc1", "--name", "pc1", "--key-file", World.KeyOf("pc1"));
            await World.StartClient(World.Net.Pc2, "pc2", "--name", "pc2", "--key-file", World.KeyOf("pc2"));
        }

        public Task DisposeAsync()
        {
            World?.Dispose();
            return Task.CompletedTask;
        }
    }
}

using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// The defaults: the server from server.toml (NAT out of eth1, no policy keys), pc1 and pc2 connected, and
/// 169.254.169.254 on the internet host. Clients reach the VPN and, through NAT, the internet; not the server
/// host's own addresses (192.0.2.1, 203.0.113.1) nor link-local; the router drops first, the kernel also.
/// </summary>
public sealed class ReachDefaultsTests(ReachDefaultsTests.Fixture fixture) : IClassFixture<ReachDefaultsTests.Fixture>
{
    private readonly VpnWorld _world = fixture.World;
    private readonly RunningProcess _server = fixture.Server;

    [Fact]
    public void Clients_reach_the_servers_vpn_address_each_other_and_the_internet_through_nat()
    {
        Assert.True(ReachProbe.Ping(_world.Net.Pc1, "10.0.0.1"), _world.Logs());
        Assert.True(ReachProbe.Ping(_world.Net.Pc1, "10.0.0.3"), _world.Logs());
        Assert.True(ReachProbe.Ping(_world.Net.Pc2, "10.0.0.2"), _world.Logs());
        Assert.True(ReachProbe.Ping(_world.Net.Pc1, Topology.InternetHost), _world.Logs());
    }

    [Theory]
    [InlineData(Topology.ServerWan)]
    [InlineData(Topology.ServerInternet)]
    public async Task Clients_cannot_reach_the_server_hosts_own_addresses_and_the_router_counts_the_drops(string address)
    {
        var before = await ReachProbe.Drops(_server, "BlockedHostAddress");

        Assert.True(ReachProbe.Unreachable(_world.Net.Pc1, address), _world.Logs());

        Assert.True(await ReachProbe.Drops(_server, "BlockedHostAddress") >= before + 2, _server.ToString());
    }

    [Fact]
    public async Task Link_local_metadata_is_blocked_for_clients_although_the_server_reaches_it()
    {
        Assert.True(Topology.Ping(_world.Net.Server, ReachProbe.Metadata), "the metadata address is not set up");
        var before = await ReachProbe.Drops(_server, "BlockedRange");

        Assert.True(ReachProbe.Unreachable(_world.Net.Pc1, ReachProbe.Metadata), _world.Logs());

        Assert.True(await ReachProbe.Drops(_server, "BlockedRange") >= before + 2, _server.ToString());
    }

    [Fact]
    public async Task The_kernel_input_chain_alone_blocks_an_address_the_server_host_got_after_start()
    {
        // The router knows the host's addresses of its start only: this one it passes to tun, and the
        // input chain's `fib daddr type local` rule must stop it (else the server's kernel would answer).
        const string late = "198.51.100.77";
        Shell.Check("ip", "-n", _world.Net.Server, "addr", "add", $"{late}/32", "dev", "lo");
        Assert.True(Topology.Ping(_world.Net.Server, late), "the late address is not set up");
        const string rule = "fib daddr type";
        var before = ReachProbe.RuleCounter(_world.Net.Server, "input", rule);
        var routerBefore = await ReachProbe.Drops(_server, "BlockedHostAddress");

        Assert.True(ReachProbe.Unreachable(_world.Net.Pc1, late, count: 3), _world.Logs());

        Assert.True(ReachProbe.RuleCounter(_world.Net.Server, "input", rule) >= before + 3, ReachProbe.ListTable(_world.Net.Server).ToString());
        Assert.Equal(routerBefore, await ReachProbe.Drops(_server, "BlockedHostAddress"));
    }

    [Fact]
    public void The_table_mirrors_the_policy_in_forward_and_input_chains_beside_the_nat_chain()
    {
        var table = ReachProbe.ListTable(_world.Net.Server);

        Assert.True(table.Succeeded, table.ToString());
        Assert.Contains("169.254.0.0/16", table.Output);
        Assert.Contains("127.0.0.0/8", table.Output);
        Assert.Contains("hook forward", table.Output);
        Assert.Contains("iifname \"tun0\" ip daddr != 10.0.0.0/24 ip daddr @blocked counter packets", table.Output);
        Assert.Contains("iifname \"tun0\" fib daddr type { local, broadcast, multicast } counter packets", table.Output);
        Assert.Contains("masquerade", table.Output);
        Assert.DoesNotContain("oifname \"tun0\"", table.Output); // clients may reach each other
    }

    public sealed class Fixture : IAsyncLifetime
    {
        internal VpnWorld World { get; private set; } = null!;
        internal RunningProcess Server { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            World = VpnWorld.Create();
            ReachProbe.AddMetadataHost(World.Net);
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

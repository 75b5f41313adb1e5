using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// IPv6 inside the tunnel on the real kernel, the WAN staying IPv4: with <c>subnet6</c> on the server two
/// clients get an IPv6 address each and reach the server, each other and an IPv6 internet host behind the
/// server through NAT66 (<c>masquerade</c>; <see cref="Ipv6SetupTests"/> has the routed subnet, the
/// IPv4-only server and the teardown). The clients reach the internet host through a route the test adds to their tun
/// device (what a full tunnel or a pushed route does).
/// </summary>
public sealed class Ipv6TunnelTests(Ipv6TunnelTests.Fixture fixture) : IClassFixture<Ipv6TunnelTests.Fixture>
{
    public const string Subnet6 = "fd00:6::/64";
    public const string Server6 = "fd00:6::1";

    private readonly VpnWorld _world = fixture.World;

    [Fact]
    public void Each_client_gets_its_own_address_in_subnet6_and_reaches_the_servers()
    {
        var pc1 = TunAddress6(_world.Net.Pc1);
        var pc2 = TunAddress6(_world.Net.Pc2);

        Assert.StartsWith("fd00:6::", pc1);
        Assert.StartsWith("fd00:6::", pc2);
        Assert.NotEqual(pc1, pc2);
        Assert.True(Topology.Ping(_world.Net.Pc1, Server6), _world.Logs());
        Assert.True(Topology.Ping(_world.Net.Pc2, Server6), _world.Logs());
    }

    [Fact]
    public void Clients_reach_each_other_over_ipv6_through_the_server()
    {
        Assert.True(Topology.Ping(_world.Net.Pc1, TunAddress6(_world.Net.Pc2)), _world.Logs());
        Assert.True(Topology.Ping(_world.Net.Pc2, TunAddress6(_world.Net.Pc1)), _world.Logs());
    }

    [Fact]
    public void With_masquerade_the_internet_host_sees_the_servers_own_address()
    {
        var client = TunAddress6(_world.Net.Pc1);
        Internet6.CountEchoesFrom(_world.Net, Internet6.ServerAddress);
        Internet6.CountEchoesFrom(_world.Net, client);

        Assert.True(Topology.Ping(_world.Net.Pc1, Internet6.HostAddress, count: 3), _world.Logs());

        Assert.Equal(3, Internet6.EchoesFrom(_world.Net, Internet6.ServerAddress));
        Assert.Equal(0, Internet6.EchoesFrom(_world.Net, client));
    }

    [Fact]
    public void The_server_forwards_ipv6_under_its_ip6_table_and_the_tun_has_no_link_local_address()
    {
        var table = Namespaces.Exec(_world.Net.Server, "nft", "list", "table", "ip6", "myvpn_tun0");

        Assert.True(table.Succeeded, table.ToString());
        Assert.Contains($"ip6 saddr {Subnet6} oifname \"eth1\" masquerade", table.Output);
        Assert.Equal("1", Namespaces.ExecChecked(_world.Net.Server, "cat", "/proc/sys/net/ipv6/conf/all/forwarding").Trim());
        foreach (var ns in (string[])[_world.Net.Server, _world.Net.Pc1])
            Assert.Equal("", Shell.Check("ip", "-n", ns, "-6", "addr", "show", "dev", "tun0", "scope", "link").Trim());
    }

    /// <summary>The client's global IPv6 address on its tun device, without the prefix length.</summary>
    internal static string TunAddress6(string ns)
    {
        var line = Shell.Check("ip", "-n", ns, "-6", "-br", "addr", "show", "dev", "tun0", "scope", "global").Trim();
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(words.Length >= 3, $"no global IPv6 address on tun0 in {ns}: '{line}'");
        return words[2].Split('/')[0];
    }

    /// <summary>Sends the internet host's prefix through the client's tun device.</summary>
    internal static void RouteInternet6(string ns) =>
        Shell.Check("ip", "-n", ns, "-6", "route", "add", "2001:db8:8::/64", "dev", "tun0");

    public sealed class Fixture : IAsyncLifetime
    {
        internal VpnWorld World { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            World = VpnWorld.Create();
            Internet6.Add(World.Net);
            Internet6.StartCounting(World.Net);
            // top-level keys go before the [[clients]] tables
            File.WriteAllText(World.ServerConfig, $"subnet6 = \"{Subnet6}\"\n" + File.ReadAllText(World.ServerConfig));
            await World.StartServer();
            await World.StartClient(World.Net.Pc1, "pc1", "--name", "pc1", "--key-file", World.KeyOf("pc1"));
            await World.StartClient(World.Net.Pc2, "pc2", "--name", "pc2", "--key-file", World.KeyOf("pc2"));
            RouteInternet6(World.Net.Pc1);
        }

        public Task DisposeAsync()
        {
            World?.Dispose();
            return Task.CompletedTask;
        }
    }
}

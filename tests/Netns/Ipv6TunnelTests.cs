using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// IPv6 inside the tunnel on the real kernel, the WAN staying IPv4: with <c>subnet6</c> on the server two
/// clients get an IPv6 address each and reach the server, each other and an IPv6 internet host behind the
/// server (through NAT66 with <c>masquerade</c>, routed without it); a server without <c>subnet6</c> leaves
/// its clients IPv4-only. The clients reach the internet host through a route the test adds to their tun
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

    [Fact]
    public async Task Without_masquerade_subnet6_is_routed_and_the_internet_host_sees_the_clients_address()
    {
        using var world = VpnWorld.Create();
        Internet6.Add(world.Net);
        Internet6.RouteToServer(world.Net, Subnet6);
        File.WriteAllText(world.ServerConfig, $"subnet6 = \"{Subnet6}\"\n" + File.ReadAllText(world.ServerConfig).Replace("masquerade = \"eth1\"\n", ""));
        await world.StartServer();
        await world.StartClient(world.Net.Pc1, "pc1", "--name", "pc1", "--key-file", world.KeyOf("pc1"));
        RouteInternet6(world.Net.Pc1);
        var client = TunAddress6(world.Net.Pc1);
        Internet6.StartCounting(world.Net);
        Internet6.CountEchoesFrom(world.Net, client);

        Assert.True(Topology.Ping(world.Net.Pc1, Internet6.HostAddress, count: 2), world.Logs());

        Assert.Equal(2, Internet6.EchoesFrom(world.Net, client));
        Assert.DoesNotContain("masquerade", Namespaces.ExecChecked(world.Net.Server, "nft", "list", "table", "ip6", "myvpn_tun0"));
    }

    [Fact]
    public async Task A_server_without_subnet6_leaves_its_clients_ipv4_only()
    {
        using var world = VpnWorld.Create();
        Internet6.Add(world.Net);
        await world.StartServer();
        await world.StartClient(world.Net.Pc1, "pc1", "--name", "pc1", "--key-file", world.KeyOf("pc1"));

        Assert.Equal("", Shell.Check("ip", "-n", world.Net.Pc1, "-6", "addr", "show", "dev", "tun0").Trim());
        Assert.Equal("1", Namespaces.ExecChecked(world.Net.Pc1, "cat", "/proc/sys/net/ipv6/conf/tun0/disable_ipv6").Trim());
        Assert.False(Namespaces.Exec(world.Net.Server, "nft", "list", "table", "ip6", "myvpn_tun0").Succeeded);
        Assert.True(Topology.Ping(world.Net.Pc1, "10.0.0.1"), world.Logs());
    }

    [Fact]
    public async Task After_sigterm_no_ipv6_address_route_table_or_forwarding_is_left()
    {
        using var world = VpnWorld.Create();
        Internet6.Add(world.Net);
        File.WriteAllText(world.ServerConfig, $"subnet6 = \"{Subnet6}\"\n" + File.ReadAllText(world.ServerConfig));
        var hosts = new[] { world.Net.Server, world.Net.Pc1 };
        var before = hosts.ToDictionary(ns => ns, State);
        var daemons = new[]
        {
            await world.StartServer(),
            await world.StartClient(world.Net.Pc1, "pc1", "--name", "pc1", "--key-file", world.KeyOf("pc1")),
        };
        Assert.True(Topology.Ping(world.Net.Pc1, Server6), world.Logs());
        Assert.NotEqual(before[world.Net.Server], State(world.Net.Server));
        Assert.NotEqual(before[world.Net.Pc1], State(world.Net.Pc1));

        foreach (var daemon in daemons.Reverse())
            Assert.Equal(0, await daemon.Terminate(TimeSpan.FromSeconds(20)));

        foreach (var ns in hosts)
            Assert.Equal(before[ns], State(ns));
    }

    /// <summary>The client's global IPv6 address on its tun device, without the prefix length.</summary>
    private static string TunAddress6(string ns)
    {
        var line = Shell.Check("ip", "-n", ns, "-6", "-br", "addr", "show", "dev", "tun0", "scope", "global").Trim();
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(words.Length >= 3, $"no global IPv6 address on tun0 in {ns}: '{line}'");
        return words[2].Split('/')[0];
    }

    /// <summary>Sends the internet host's prefix through the client's tun device.</summary>
    private static void RouteInternet6(string ns) =>
        Shell.Check("ip", "-n", ns, "-6", "route", "add", "2001:db8:8::/64", "dev", "tun0");

    /// <summary>What the daemons may change for IPv6 in a namespace: addresses, routes, the nftables ruleset, forwarding.</summary>
    private static string State(string ns) => string.Join("\n---\n",
        Shell.Check("ip", "-n", ns, "-6", "addr", "show"),
        Shell.Check("ip", "-n", ns, "-6", "route", "show"),
        RestartTests.NftRuleset(ns),
        Namespaces.ExecChecked(ns, "cat", "/proc/sys/net/ipv6/conf/all/forwarding"));

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

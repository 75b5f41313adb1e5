using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// IPv6 inside the tunnel, each case on a network of its own: <c>subnet6</c> without <c>masquerade</c>
/// is routed (the internet host sees the client's own address), a server without <c>subnet6</c> leaves
/// its clients IPv4-only, SIGTERM takes back every IPv6 address, route, table and sysctl, and the start
/// after a crash undoes what the crashed run left.
/// </summary>
public sealed class Ipv6SetupTests
{
    [Fact]
    public async Task Without_masquerade_subnet6_is_routed_and_the_internet_host_sees_the_clients_address()
    {
        using var world = VpnWorld.Create();
        Internet6.Add(world.Net);
        Internet6.RouteToServer(world.Net, Ipv6TunnelTests.Subnet6);
        File.WriteAllText(world.ServerConfig, $"subnet6 = \"{Ipv6TunnelTests.Subnet6}\"\n" + File.ReadAllText(world.ServerConfig).Replace("masquerade = \"eth1\"\n", ""));
        await world.StartServer();
        await world.StartClient(world.Net.Pc1, "pc1", "--name", "pc1", "--key-file", world.KeyOf("pc1"));
        Ipv6TunnelTests.RouteInternet6(world.Net.Pc1);
        var client = Ipv6TunnelTests.TunAddress6(world.Net.Pc1);
        // the path answers first (the first echo may wait out neighbour discovery on the way), then is counted
        Assert.True(await Eventually.Holds(() => Topology.Ping(world.Net.Pc1, Internet6.HostAddress), TimeSpan.FromSeconds(10)), world.Logs());
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
        File.WriteAllText(world.ServerConfig, $"subnet6 = \"{Ipv6TunnelTests.Subnet6}\"\n" + File.ReadAllText(world.ServerConfig));
        var hosts = new[] { world.Net.Server, world.Net.Pc1 };
        var before = hosts.ToDictionary(ns => ns, State);
        var daemons = new[]
        {
            await world.StartServer(),
            await world.StartClient(world.Net.Pc1, "pc1", "--name", "pc1", "--key-file", world.KeyOf("pc1")),
        };
        Assert.True(Topology.Ping(world.Net.Pc1, Ipv6TunnelTests.Server6), world.Logs());
        Assert.NotEqual(before[world.Net.Server], State(world.Net.Server));
        Assert.NotEqual(before[world.Net.Pc1], State(world.Net.Pc1));

        foreach (var daemon in daemons.Reverse())
            Assert.Equal(0, await daemon.Terminate(TimeSpan.FromSeconds(20)));

        foreach (var ns in hosts)
            Assert.Equal(before[ns], State(ns));
    }

    [Fact]
    public async Task A_killed_server_leaves_its_ip6_table_and_forwarding_which_the_next_start_undoes_first()
    {
        using var world = VpnWorld.Create();
        File.WriteAllText(world.ServerConfig, $"subnet6 = \"{Ipv6TunnelTests.Subnet6}\"\n" + File.ReadAllText(world.ServerConfig));
        var before = State(world.Net.Server);
        var server = await world.StartServer();

        server.Kill();
        Assert.Contains("table ip6 myvpn_tun0", RestartTests.NftRuleset(world.Net.Server)); // a crash leaves them behind…
        Assert.Equal("1", Namespaces.ExecChecked(world.Net.Server, "cat", "/proc/sys/net/ipv6/conf/all/forwarding").Trim());
        var again = await world.StartServer();                                               // …which the next start undoes first

        Assert.Contains("left behind", again.Output);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(RestartTests.NftRuleset(world.Net.Server), "table ip6 myvpn_tun0"));
        Assert.Equal(0, await again.Terminate(TimeSpan.FromSeconds(20)));
        Assert.Equal(before, State(world.Net.Server));
    }

    /// <summary>What the daemons may change for IPv6 in a namespace: addresses, routes, the nftables ruleset, forwarding.</summary>
    private static string State(string ns) => string.Join("\n---\n",
        Shell.Check("ip", "-n", ns, "-6", "-br", "addr", "show"), // brief: without the flags duplicate address detection changes
        Shell.Check("ip", "-n", ns, "-6", "route", "show"),
        RestartTests.NftRuleset(ns),
        Namespaces.ExecChecked(ns, "cat", "/proc/sys/net/ipv6/conf/all/forwarding"));

}

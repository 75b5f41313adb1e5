using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>SIGTERM stops the daemons, and they take back everything they added.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task After_sigterm_no_tun_device_route_nat_rule_or_journal_is_left()
    {
        using var world = VpnWorld.Create();
        var hosts = new[] { world.Net.Server, world.Net.Pc1, world.Net.Pc2 };
        var before = hosts.ToDictionary(ns => ns, State);
        var daemons = new[]
        {
            await world.StartServer(),
            await world.StartClient(world.Net.Pc1, "pc1", "--name", "pc1", "--key-file", world.KeyOf("pc1"), "--default-route"),
            await world.StartClient(world.Net.Pc2, "pc2", "--name", "pc2", "--key-file", world.KeyOf("pc2")),
        };
        Assert.True(Topology.Ping(world.Net.Pc1, Topology.InternetHost), world.Logs());
        Assert.NotEqual(before[world.Net.Server], State(world.Net.Server));

        foreach (var daemon in daemons.Reverse())
            Assert.Equal(0, await daemon.Terminate(TimeSpan.FromSeconds(20)));

        foreach (var ns in hosts)
            Assert.Equal(before[ns], State(ns));
        Assert.Empty(Directory.Exists("/run/myvpn")
            ? hosts.SelectMany(ns => Directory.GetFiles("/run/myvpn", $"*.{Namespaces.Inode(ns)}.json"))
            : []);
    }

    /// <summary>What the daemons may change in a namespace: links, routes, policy rules, the nftables ruleset, forwarding.</summary>
    private static string State(string ns) => string.Join("\n---\n",
        Shell.Check("ip", "-n", ns, "-br", "link"),
        RestartTests.Routes(ns),
        Shell.Check("ip", "-n", ns, "-4", "rule", "show"),
        Shell.Check("ip", "-n", ns, "-6", "rule", "show"),
        RestartTests.NftRuleset(ns),
        Namespaces.ExecChecked(ns, "cat", "/proc/sys/net/ipv4/ip_forward"));
}

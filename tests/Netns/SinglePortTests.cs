using System.Text.RegularExpressions;
using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// One-port mode on real sockets: the server's own firewall (an nftables table of the test's, in the server's
/// namespace) drops UDP to every port but the handshake port's number. A server in one-port mode carries both
/// clients through it; the same server with a port per client, behind the same firewall, carries nothing.
/// </summary>
public sealed partial class SinglePortTests
{
    private const string Firewall = "oneport_fw";

    /// <summary>Only UDP 9525 gets in (TCP 9525 for the handshakes is not UDP: untouched); drops are counted.</summary>
    private static void InstallFirewall(string ns)
    {
        Namespaces.ExecChecked(ns, "nft", "add", "table", "inet", Firewall);
        Namespaces.ExecChecked(ns, "nft", "add", "chain", "inet", Firewall, "input", "{ type filter hook input priority 0; policy accept; }");
        Namespaces.ExecChecked(ns, "nft", "add", "rule", "inet", Firewall, "input", "udp", "dport", "!=", "9525", "counter", "drop");
    }

    /// <summary>The datagrams the firewall has dropped.</summary>
    private static long FirewallDrops(string ns)
    {
        var listing = Namespaces.ExecChecked(ns, "nft", "list", "chain", "inet", Firewall, "input");
        return long.Parse(CounterPattern().Match(listing).Groups[1].Value);
    }

    [GeneratedRegex(@"counter packets (\d+)")]
    private static partial Regex CounterPattern();

    [Fact]
    public async Task Clients_of_a_single_port_server_reach_each_other_through_a_firewall_that_lets_one_udp_port_in()
    {
        using var world = VpnWorld.Create();
        InstallFirewall(world.Net.Server);
        var server = await world.StartServer(["--config", world.ServerConfig, "--single-port"]);
        Assert.True(await server.WaitForOutput("session ports 9525 (single port)", VpnWorld.StartTimeout), server.ToString());
        var pc1 = await world.StartClient(world.Net.Pc1, "pc1", "--name", "pc1", "--key-file", world.KeyOf("pc1"));
        var pc2 = await world.StartClient(world.Net.Pc2, "pc2", "--name", "pc2", "--key-file", world.KeyOf("pc2"));
        Assert.True(await pc1.WaitForOutput("on udp port 9525", VpnWorld.StartTimeout), pc1.ToString());
        Assert.True(await pc2.WaitForOutput("on udp port 9525", VpnWorld.StartTimeout), pc2.ToString());

        Assert.True(ReachProbe.Ping(world.Net.Pc1, "10.0.0.3", count: 3), world.Logs());
        Assert.True(ReachProbe.Ping(world.Net.Pc2, "10.0.0.2", count: 3), world.Logs());
        Assert.True(ReachProbe.Ping(world.Net.Pc1, "10.0.0.1"), world.Logs());
        Assert.Equal(0, FirewallDrops(world.Net.Server));
    }

    [Fact]
    public async Task A_server_with_a_port_per_client_behind_the_same_firewall_carries_nothing()
    {
        using var world = VpnWorld.Create();
        InstallFirewall(world.Net.Server);
        await world.StartServer();
        var pc1 = world.StartClientNoWait(world.Net.Pc1, "pc1", "--name", "pc1", "--key-file", world.KeyOf("pc1"));
        Assert.True(await pc1.WaitForOutput("tunnel up", VpnWorld.StartTimeout), world.Logs()); // the handshake is TCP: it gets through

        Assert.True(ReachProbe.Unreachable(world.Net.Pc1, "10.0.0.1", count: 3), world.Logs());
        Assert.True(FirewallDrops(world.Net.Server) >= 3, world.Logs());
    }
}

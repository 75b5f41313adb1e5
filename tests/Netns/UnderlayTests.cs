using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// The underlay: a server and a client that reach each other only over IPv6, a dual-stack server that takes
/// IPv4 clients on the same socket, and a client that follows the server's name when the server moves.
/// </summary>
public sealed class UnderlayTests
{
    private const string ServerWan6 = "2001:db8:5::1";
    private const string Pc1Wan6 = "2001:db8:5::2";

    [Fact]
    public async Task A_client_reaches_the_server_over_an_IPv6_only_WAN_while_an_IPv4_client_shares_its_dual_stack_port()
    {
        using var world = VpnWorld.Create();
        // pc1 loses its IPv4 address: it has only IPv6 on the WAN; s1 gets an IPv6 address next to its IPv4 one (for pc2)
        Shell.Check("ip", "-n", world.Net.Pc1, "-4", "addr", "flush", "dev", "eth0");
        Shell.Check("ip", "-n", world.Net.Pc1, "-6", "addr", "add", $"{Pc1Wan6}/64", "dev", "eth0", "nodad");
        Shell.Check("ip", "-n", world.Net.Server, "-6", "addr", "add", $"{ServerWan6}/64", "dev", "eth0", "nodad");
        var server = await world.StartServer(["--config", world.ServerConfig, "--listen", "[::]:9525"]);

        var pc1 = world.StartDaemon("pc1", world.Net.Pc1, new Dictionary<string, string>(),
            "client", "--server", $"[{ServerWan6}]:9525", "--name", "pc1", "--key-file", world.KeyOf("pc1"));
        Assert.True(await pc1.WaitForOutput("tunnel up", VpnWorld.StartTimeout), world.Logs());
        Assert.DoesNotContain("inet ", Shell.Check("ip", "-n", world.Net.Pc1, "-4", "addr", "show", "dev", "eth0"));
        await world.StartClient(world.Net.Pc2, "pc2", "--name", "pc2", "--key-file", world.KeyOf("pc2"));

        Assert.True(Topology.Ping(world.Net.Pc1, "10.0.0.1", count: 3), world.Logs());
        Assert.True(Topology.Ping(world.Net.Pc1, "10.0.0.3"), world.Logs());
        Assert.Contains($"client pc1 from [{Pc1Wan6}]:", server.Output);
        Assert.Contains($"client pc2 from {Topology.Pc2Wan}:", server.Output); // the IPv4 peer of the [::] socket, not ::ffff:…
        Assert.DoesNotContain("::ffff:", server.Output);
    }

    [Fact]
    public async Task A_client_given_the_servers_name_finds_it_again_after_it_moves_and_restarts()
    {
        const string Moved = "192.0.2.11";
        using var world = VpnWorld.Create();
        using var hosts = new NamespaceHosts(world.Net.Pc1, $"127.0.0.1 localhost\n{Topology.ServerWan} vpn.test\n");
        var server = await world.StartServer();
        var pc1 = world.StartDaemon("pc1", world.Net.Pc1, new Dictionary<string, string>(),
            "client", "--server", "vpn.test:9525", "--name", "pc1", "--key-file", world.KeyOf("pc1"));
        Assert.True(await pc1.WaitForOutput("tunnel up", VpnWorld.StartTimeout), world.Logs());
        Assert.Contains($"the server vpn.test:9525 is at {Topology.ServerWan}:9525", pc1.Output);
        Assert.True(Topology.Ping(world.Net.Pc1, "10.0.0.1"), world.Logs());

        // the server goes down, comes back at another address, and the name is changed to point there
        server.Kill();
        Shell.Check("ip", "-n", world.Net.Server, "addr", "del", $"{Topology.ServerWan}/24", "dev", "eth0");
        Shell.Check("ip", "-n", world.Net.Server, "addr", "add", $"{Moved}/24", "dev", "eth0");
        await world.StartServer();
        hosts.Write($"127.0.0.1 localhost\n{Moved} vpn.test\n");

        // dead after 3 keepalives of 2 s, then a lookup and a handshake on the backoff (1 s, 2 s, 4 s…)
        var back = await Eventually.Holds(() => Topology.Ping(world.Net.Pc1, "10.0.0.1"), TimeSpan.FromSeconds(60));
        Assert.True(back, world.Logs());
        Assert.Contains($"the server vpn.test:9525 is at {Moved}:9525", pc1.Output);
        Assert.False(pc1.HasExited, world.Logs());
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_at_start_is_retried_not_an_exit()
    {
        using var world = VpnWorld.Create();
        using var hosts = new NamespaceHosts(world.Net.Pc1, "127.0.0.1 localhost\n");
        // a resolver that answers at once (nothing listens there), so a name missing from hosts fails as a
        // lookup rather than waiting out the handshake's deadline on a DNS server the namespace cannot reach
        using var resolv = new NamespaceResolvConf(world.Net.Pc1, "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
        await world.StartServer();
        var pc1 = world.StartDaemon("pc1", world.Net.Pc1, new Dictionary<string, string>(),
            "client", "--server", "vpn.test:9525", "--name", "pc1", "--key-file", world.KeyOf("pc1"));
        Assert.True(await pc1.WaitForOutput("cannot look up the server vpn.test:9525", VpnWorld.StartTimeout), world.Logs());
        Assert.False(pc1.HasExited, world.Logs());

        hosts.Write($"127.0.0.1 localhost\n{Topology.ServerWan} vpn.test\n");

        Assert.True(await pc1.WaitForOutput("tunnel up", TimeSpan.FromSeconds(60)), world.Logs());
        Assert.True(Topology.Ping(world.Net.Pc1, "10.0.0.1"), world.Logs());
    }
}

using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// The server pushes a route to the "internet" network behind it (203.0.113.0/24, which pc1 cannot
/// reach outside the tunnel), a DNS server on its VPN address (a dnsmasq that alone knows
/// intranet.myvpn.test) and the search domain myvpn.test. pc1 has its own resolv.conf pointing at a
/// resolver that knows nothing; it resolves the name through the tunnel and reaches the address, and
/// gets its old resolv.conf back when it stops, and after a crash at its next start.
/// </summary>
public sealed class PushedRoutesDnsTests
{
    private const string PushedNetwork = "203.0.113.0/24";
    private const string OldResolvConf = "# the test's own resolver\nnameserver 192.0.2.254\nsearch old.example\noptions timeout:1 attempts:1\n";

    private static async Task<(VpnWorld World, Dnsmasq Dns)> Start()
    {
        var world = VpnWorld.Create();
        try
        {
            File.WriteAllText(world.ServerConfig, $"""
                routes = ["{PushedNetwork}"]
                dns = ["10.0.0.1"]
                dns_search = ["myvpn.test"]
                """ + "\n" + File.ReadAllText(world.ServerConfig));
            await world.StartServer();
            var dns = await Dnsmasq.Start(world.Net.Server, "10.0.0.1", world.Directory, ("intranet.myvpn.test", Topology.InternetHost));
            return (world, dns);
        }
        catch
        {
            world.Dispose();
            throw;
        }
    }

    private static Shell.Result Lookup(string ns, string name) => Namespaces.Exec(ns, "getent", "hosts", name);

    [Fact]
    public async Task Client_resolves_through_the_tunnel_reaches_the_pushed_route_and_gets_its_resolver_back_on_stop()
    {
        var (world, dns) = await Start();
        using var worldScope = world;
        using var dnsScope = dns;
        using var resolv = new NamespaceResolvConf(world.Net.Pc1, OldResolvConf);
        Assert.False(Lookup(world.Net.Pc1, "intranet.myvpn.test").Succeeded);
        Assert.False(Topology.Ping(world.Net.Pc1, Topology.InternetHost));

        var client = await world.StartClient(world.Net.Pc1, "pc1", "--name", "pc1", "--key-file", world.KeyOf("pc1"));
        Assert.True(await client.WaitForOutput("pushed DNS", VpnWorld.StartTimeout), world.Logs());

        Assert.Contains($"{PushedNetwork} dev tun0", RestartTests.Routes(world.Net.Pc1));
        Assert.Contains("dev tun0", Topology.RouteTo(world.Net.Pc1, Topology.InternetHost));
        Assert.Contains("nameserver 10.0.0.1", resolv.Content);
        Assert.Contains("options timeout:1 attempts:1", resolv.Content);
        var byName = Lookup(world.Net.Pc1, "intranet.myvpn.test");
        Assert.True(byName.Succeeded, $"{byName}\n{dns.Log}\n{world.Logs()}");
        Assert.StartsWith(Topology.InternetHost, byName.Output);
        Assert.StartsWith(Topology.InternetHost, Lookup(world.Net.Pc1, "intranet").Output); // through the pushed search domain
        Assert.Contains("query[A] intranet.myvpn.test", dns.Log);
        Assert.True(Topology.Ping(world.Net.Pc1, Topology.InternetHost), world.Logs());

        Assert.Equal(0, await client.Terminate(TimeSpan.FromSeconds(20)));

        Assert.Equal(OldResolvConf, resolv.Content);
        Assert.DoesNotContain(PushedNetwork, RestartTests.Routes(world.Net.Pc1));
        Assert.False(Lookup(world.Net.Pc1, "intranet.myvpn.test").Succeeded);
    }

    [Fact]
    public async Task Client_killed_leaves_the_pushed_resolver_which_its_next_start_puts_back()
    {
        var (world, dns) = await Start();
        using var worldScope = world;
        using var dnsScope = dns;
        using var resolv = new NamespaceResolvConf(world.Net.Pc1, OldResolvConf);
        var client = await world.StartClient(world.Net.Pc1, "pc1", "--name", "pc1", "--key-file", world.KeyOf("pc1"));
        Assert.True(await client.WaitForOutput("pushed DNS", VpnWorld.StartTimeout), world.Logs());

        client.Kill();
        Assert.Contains("nameserver 10.0.0.1", resolv.Content); // a crash undoes nothing…

        // …the next start does, first; this one refuses the pushed DNS and routes, so what is left is the old file
        var again = await world.StartClient(world.Net.Pc1, "pc1 again", "--name", "pc1", "--key-file", world.KeyOf("pc1"),
            "--no-pushed-dns", "--no-pushed-routes");
        Assert.True(await again.WaitForOutput("ignoring the DNS the server pushes", VpnWorld.StartTimeout), world.Logs());

        Assert.Contains("left behind", again.Output);
        Assert.Equal(OldResolvConf, resolv.Content);
        Assert.DoesNotContain(PushedNetwork, RestartTests.Routes(world.Net.Pc1));
        Assert.Contains("ignoring the routes the server pushes", again.Output);
    }
}

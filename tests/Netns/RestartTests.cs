using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>A server that crashes (SIGKILL) and is started again.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Clients_handshake_again_after_the_server_is_killed_and_restarted()
    {
        using var world = VpnWorld.Create();
        var server = await world.StartServer();
        await world.StartClient(world.Net.Pc1, "pc1", "--name", "pc1", "--key-file", world.KeyOf("pc1"));
        await world.StartClient(world.Net.Pc2, "pc2", "--name", "pc2", "--key-file", world.KeyOf("pc2"));
        Assert.True(Topology.Ping(world.Net.Pc1, "10.0.0.3"), world.Logs());

        server.Kill();
        Assert.Contains("masquerade", NftRuleset(world.Net.Server)); // a crash leaves its NAT table behind…
        await world.StartServer();                                    // …which the next start removes first

        var resumed = await Eventually.Holds(
            () => Topology.Ping(world.Net.Pc1, "10.0.0.3") && Topology.Ping(world.Net.Pc2, "10.0.0.2"),
            TimeSpan.FromSeconds(60));
        Assert.True(resumed, world.Logs());
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(NftRuleset(world.Net.Server), "masquerade"));
    }

    [Fact]
    public async Task Full_tunnel_client_killed_and_restarted_cleans_up_its_stale_routes_first()
    {
        using var world = VpnWorld.Create();
        await world.StartServer();
        var client = await world.StartClient(world.Net.Pc1, "pc1", "--name", "pc1", "--key-file", world.KeyOf("pc1"), "--default-route");

        client.Kill();
        Assert.Contains("lookup 9525", Shell.Check("ip", "-n", world.Net.Pc1, "-4", "rule", "show")); // the rules outlive the crash
        var again = await world.StartClient(world.Net.Pc1, "pc1 again", "--name", "pc1", "--key-file", world.KeyOf("pc1"), "--default-route");

        Assert.Contains("left behind", again.Output);
        Assert.True(Topology.Ping(world.Net.Pc1, Topology.InternetHost), world.Logs());
    }

    internal static string NftRuleset(string ns) => Namespaces.ExecChecked(ns, "nft", "list", "ruleset");

    internal static string Routes(string ns) => Shell.Check("ip", "-n", ns, "-4", "route", "show");
}

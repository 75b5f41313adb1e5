using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// What a full-tunnel client leaves behind: after a clean stop, and after SIGKILL once the next run
/// has started and stopped, the policy rules (both families), the client's table and
/// src_valid_mark are as they were before it first ran.
/// </summary>
public sealed class FullTunnelCleanupTests
{
    private const string SrcValidMark = "net.ipv4.conf.all.src_valid_mark";

    [Fact]
    public async Task Rules_table_and_sysctl_are_as_before_after_a_clean_stop_and_after_a_crash_and_restart()
    {
        using var world = VpnWorld.Create();
        FullTunnelFixture.PutPc1BehindTheGateway(world.Net);
        await world.StartServer();
        var before = State(world.Net.Pc1);
        Assert.DoesNotContain("lookup 9525", before);

        var client = await StartFullTunnel(world, "pc1");
        var up = State(world.Net.Pc1);
        Assert.Contains("32765:\tnot from all fwmark 0x2535 lookup 9525", up);
        Assert.Contains("32764:\tfrom all lookup main suppress_prefixlength 0", up);
        Assert.Contains("default dev tun0", up);
        Assert.Contains("unreachable default", up);
        Assert.Contains($"{SrcValidMark} = 1", up);

        Assert.Equal(0, await client.Terminate(VpnWorld.StartTimeout));
        Assert.Equal(before, State(world.Net.Pc1));

        var crashed = await StartFullTunnel(world, "pc1 (killed)");
        crashed.Kill();
        Assert.True(await crashed.WaitForExit(VpnWorld.StartTimeout));
        Assert.Contains("not from all fwmark 0x2535 lookup 9525", State(world.Net.Pc1)); // a crash leaves them…
        var again = await StartFullTunnel(world, "pc1 again");                          // …the next start removes them first
        Assert.Contains("left behind", again.Output);
        Assert.Equal(up, State(world.Net.Pc1)); // and puts its own in place: once each, not twice
        Assert.True(Topology.Ping(world.Net.Pc1, Topology.InternetHost), world.Logs());

        Assert.Equal(0, await again.Terminate(VpnWorld.StartTimeout));
        Assert.Equal(before, State(world.Net.Pc1));
    }

    private static Task<RunningProcess> StartFullTunnel(VpnWorld world, string label) =>
        world.StartClient(world.Net.Pc1, label, "--name", "pc1", "--key-file", world.KeyOf("pc1"), "--default-route");

    /// <summary>The rules of both families, table 9525 of both, and src_valid_mark, as one text.</summary>
    private static string State(string ns) => string.Join('\n',
        Shell.Check("ip", "-n", ns, "-4", "rule", "show"),
        Shell.Check("ip", "-n", ns, "-6", "rule", "show"),
        Table(ns, "-4"),
        Table(ns, "-6"),
        Namespaces.ExecChecked(ns, "sysctl", SrcValidMark));

    /// <summary>Table 9525's routes; "" also when the kernel has never had that table ("FIB table does not exist").</summary>
    private static string Table(string ns, string family) =>
        Shell.Run("ip", ["-n", ns, family, "route", "show", "table", "9525"]) is { Succeeded: true } result ? result.Output : "";
}

using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>The table exists without --masquerade, takes the command line's ranges, and is gone after the daemon exits.</summary>
public sealed class ReachTableLifetimeTests
{
    [Fact]
    public async Task Without_masquerade_the_table_still_filters_takes_the_flags_and_is_removed_on_exit()
    {
        using var world = VpnWorld.Create();
        var server = await world.StartServer(["--key-file", world.KeyOf("psk"), "--block", "198.51.100.0/24",
            "--block", "192.168.0.0/16", "--allow", "198.51.100.5", "--no-client-to-client"]);

        var table = ReachProbe.ListTable(world.Net.Server);
        Assert.True(table.Succeeded, table.ToString());
        Assert.Contains("198.51.100.0/24", table.Output);
        Assert.Contains("192.168.0.0/16", table.Output);
        Assert.Contains("198.51.100.5", table.Output);
        Assert.Contains("hook forward", table.Output);
        Assert.Contains("hook input", table.Output);
        Assert.Contains("oifname \"tun0\"", table.Output);
        Assert.DoesNotContain("masquerade", table.Output);

        Assert.Equal(0, await server.Terminate(TimeSpan.FromSeconds(20)));

        var after = ReachProbe.ListTable(world.Net.Server);
        Assert.False(after.Succeeded, after.ToString());
        Assert.DoesNotContain("myvpn", RestartTests.NftRuleset(world.Net.Server));
    }
}

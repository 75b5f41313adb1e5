using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// A refusal ends a client (exit 3) only on the first connection of its run: once connected, a
/// server that refuses it (here a real one, restarted without its key) is logged and retried.
/// </summary>
public sealed class RefusalTests
{
    [Fact]
    public async Task A_client_that_was_connected_outlasts_a_server_that_refuses_it_and_connects_once_it_is_accepted_again()
    {
        using var world = VpnWorld.Create();
        var server = await world.StartServer();
        var pc1 = await world.StartClient(world.Net.Pc1, "pc1", "--name", "pc1", "--key-file", world.KeyOf("pc1"));
        Assert.True(Topology.Ping(world.Net.Pc1, "10.0.0.1"), world.Logs());

        // The server comes back without pc1: every handshake of pc1 now ends in Reject 1.
        server.Kill();
        var withoutPc1 = Path.Combine(world.Directory, "without-pc1.toml");
        File.WriteAllText(withoutPc1, """
            keepalive = 2
            masquerade = "eth1"

            [[clients]]
            name = "pc2"
            key_file = "pc2.key"
            address = "10.0.0.3"
            """);
        var refusing = await world.StartServer(["--config", withoutPc1]);
        var refused = "refused: Reject 1 (AuthenticationFailed); retrying in";
        Assert.True(await pc1.WaitForOutput(refused, TimeSpan.FromSeconds(60)), world.Logs());
        Assert.True(await Eventually.Holds(() => CountOf(pc1.Output, refused) >= 2, TimeSpan.FromSeconds(30)), world.Logs());
        Assert.False(pc1.HasExited, world.Logs());
        Assert.DoesNotContain("authentication failed", pc1.Output);

        // pc1 is known again: it connects within its backoff, and the tunnel carries pings.
        refusing.Kill();
        await world.StartServer();
        var back = await Eventually.Holds(() => Topology.Ping(world.Net.Pc1, "10.0.0.1"), TimeSpan.FromSeconds(60));
        Assert.True(back, world.Logs());
        Assert.False(pc1.HasExited, world.Logs());
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
            count++;
        return count;
    }
}

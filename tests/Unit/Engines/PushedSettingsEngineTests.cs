using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Server;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Engines;

/// <summary>
/// The server's pushed routes and DNS reach the client engine in every grant, the first and each
/// rekey's, with equal content, so the host can tell a rekey's grant changes nothing to apply.
/// </summary>
public sealed class PushedSettingsEngineTests
{
    private static readonly PushedSettings Pushed = new(
        [IPv4Range.Parse("192.168.50.0/24")], [IPv4Address.Parse("10.0.0.1")], ["intranet.myvpn.test"]);

    [Fact]
    public void Client_gets_the_pushed_settings_in_its_first_grant_and_again_unchanged_after_a_rekey()
    {
        var interval = TimeSpan.FromSeconds(20);
        using var world = new EngineWorld(new VpnServerOptions
        {
            Clients = [new ClientEntry("pc1", Handshakes.Key(1))],
            RekeyInterval = interval,
            Pushed = Pushed,
        });
        var grants = new List<SessionGrant>();
        var pc1 = world.Connect("pc1", beforeStart: c => c.Connected += grants.Add);

        world.Run(interval + TimeSpan.FromSeconds(10));

        Assert.True(pc1.Handshakes >= 2, $"{pc1.Handshakes} handshakes");
        Assert.Equal(pc1.Handshakes, grants.Count);
        Assert.All(grants, g => Assert.Equal(Pushed, g.Pushed));
        Assert.NotSame(grants[0].Pushed, grants[1].Pushed);
        Assert.NotEqual(grants[0].SessionId, grants[1].SessionId);
    }

    [Fact]
    public void Server_that_pushes_nothing_grants_nothing_to_apply()
    {
        using var world = new EngineWorld("pc1");
        var pc1 = world.Connect("pc1");

        Assert.True(pc1.Grant!.Pushed.IsEmpty);
    }
}

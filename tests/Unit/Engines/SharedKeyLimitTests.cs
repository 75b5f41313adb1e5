using MyVpn.Protocol;
using MyVpn.Server;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Engines;

/// <summary>A shared-key server holds at most MaxSharedKeySessions sessions of shared-key clients; refusals are counted and logged.</summary>
public sealed class SharedKeyLimitTests
{
    private const byte Shared = 42;

    private static VpnServerOptions Options(int max) => new()
    {
        SharedKey = Handshakes.Key(Shared),
        Clients = [new ClientEntry("own", Handshakes.Key(7))],
        MaxSharedKeySessions = max,
    };

    [Fact]
    public void Shared_key_client_beyond_the_cap_is_refused_as_busy_counted_and_logged()
    {
        var log = new ListLogger<VpnServer>();
        using var world = new EngineWorld(Options(2), serverLogger: log);

        Assert.True(world.Connect("a", Shared).IsConnected);
        Assert.True(world.Connect("b", Shared).IsConnected);
        var c = world.Connect("c", Shared);

        Assert.False(c.IsConnected);
        Assert.Equal(2, world.Server.Sessions.Count);
        Assert.Equal(1, world.Server.HandshakeFailures[HandshakeError.SessionLimit]);
        Assert.Equal(RejectCode.Busy, ServerHandshake.RejectCodeFor(HandshakeError.SessionLimit));
        Assert.Contains(log.Lines, l => l.Message.Contains("SessionLimit (client name: c)"));
    }

    [Fact]
    public void Client_with_its_own_key_is_not_counted_against_the_cap()
    {
        using var world = new EngineWorld(Options(1));

        Assert.True(world.Connect("a", Shared).IsConnected);
        Assert.True(world.Connect("own", 7).IsConnected);
        Assert.False(world.Connect("b", Shared).IsConnected);

        Assert.Equal(2, world.Server.Sessions.Count);
    }

    [Fact]
    public void Shared_key_client_taking_over_its_own_name_is_not_refused_at_the_cap()
    {
        using var world = new EngineWorld(Options(1));
        var first = world.Connect("a", Shared);
        Assert.True(first.IsConnected);
        first.Dispose();

        var again = world.Connect("a", Shared);

        Assert.True(again.IsConnected);
        Assert.Single(world.Server.Sessions);
        Assert.Equal(0, world.Server.HandshakeFailures[HandshakeError.SessionLimit]);
    }

    [Fact]
    public void A_freed_session_makes_room_for_another_shared_key_client()
    {
        using var world = new EngineWorld(Options(1));
        var a = world.Connect("a", Shared);
        Assert.False(world.Connect("b", Shared).IsConnected);
        a.Dispose();
        world.Clients.Remove("a");
        world.Clients["b"].Engine.Dispose();
        world.Clients.Remove("b");

        world.Run(world.Options.SessionTimeout + TimeSpan.FromSeconds(world.Options.KeepaliveInterval.TotalSeconds));
        Assert.Empty(world.Server.Sessions);

        Assert.True(world.Connect("c", Shared).IsConnected);
    }
}

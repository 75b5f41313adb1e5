using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Server;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Engines;

/// <summary>
/// Reloading the client list (<see cref="VpnServer.UpdateClients"/>): a removed, re-keyed or re-addressed
/// client's session ends at once and its traffic is refused; an added client connects at once; every
/// other session keeps its session id and carries traffic without a new handshake.
/// </summary>
public sealed class ReloadTests
{
    private static ClientEntry Entry(string name, byte keyFill, string? address = null) =>
        new(name, Handshakes.Key(keyFill), address is null ? null : IPv4Address.Parse(address));

    /// <summary>What a reload must leave alone in a session: who, which keys, where (not its counters).</summary>
    private static (string, uint, IPv4Address, ushort, NetEndpoint) Id(SessionInfo s) => (s.Name, s.SessionId, s.Address, s.Port, s.Endpoint);

    private static SessionInfo SessionOf(EngineWorld world, string name) => Assert.Single(world.Server.Sessions, s => s.Name == name);

    /// <summary>Sends a packet from the client to the internet; true if it came out of the server's tun.</summary>
    private static bool Passes(EngineWorld world, string name, string source)
    {
        var packet = Packets.IPv4(source, "8.8.8.8");
        var before = world.ServerTun.Written.Count;
        world.SendFrom(name, packet);
        return world.ServerTun.Written.Count == before + 1 && world.ServerTun.Written[^1].SequenceEqual(packet);
    }

    [Fact]
    public void Removing_a_client_ends_its_session_at_once_and_leaves_the_other_untouched()
    {
        using var world = new EngineWorld("pc1", "pc2");
        var pc1 = world.Connect("pc1");
        var pc2 = world.Connect("pc2");
        var pc1Before = SessionOf(world, "pc1");
        Assert.True(Passes(world, "pc2", "10.0.0.3"));

        var changes = world.Server.UpdateClients([Entry("pc1", 1)], null);

        Assert.Equal(["pc2"], changes.Removed);
        Assert.Empty(changes.Added);
        Assert.Equal(1, changes.SessionsClosed);
        Assert.Equal(Id(pc1Before), Id(SessionOf(world, "pc1")));
        Assert.DoesNotContain(world.Server.Sessions, s => s.Name == "pc2");
        Assert.False(Passes(world, "pc2", "10.0.0.3"));
        Assert.True(Passes(world, "pc1", "10.0.0.2"));

        // pc2 goes on trying (it had a session) and is refused every time; pc1 never handshakes again
        world.Run(TimeSpan.FromSeconds(60));
        Assert.True(pc2.Handshakes >= 1);
        Assert.True(world.Server.HandshakeFailures[HandshakeError.UnknownClient] >= 1);
        Assert.DoesNotContain(world.Server.Sessions, s => s.Name == "pc2");
        Assert.Equal(1, pc1.Handshakes);
        Assert.Equal(pc1Before.SessionId, SessionOf(world, "pc1").SessionId);
        Assert.True(Passes(world, "pc1", "10.0.0.2"));
    }

    [Fact]
    public void An_added_client_connects_at_once()
    {
        using var world = new EngineWorld("pc1");
        world.Connect("pc1");
        var pc1Before = SessionOf(world, "pc1");

        var changes = world.Server.UpdateClients([Entry("pc1", 1), Entry("pc3", 3)], null);
        var pc3 = world.Connect("pc3", keyFill: 3);

        Assert.Equal(["pc3"], changes.Added);
        Assert.Equal(0, changes.SessionsClosed);
        Assert.True(pc3.IsConnected);
        Assert.True(Passes(world, "pc3", pc3.Grant!.ClientAddress.ToString()));
        Assert.Equal(Id(pc1Before), Id(SessionOf(world, "pc1")));
    }

    [Fact]
    public void A_re_keyed_client_loses_its_session_its_old_key_is_refused_and_the_new_one_accepted()
    {
        using var world = new EngineWorld("pc1", "pc2");
        var oldPc1 = world.Connect("pc1");
        world.Connect("pc2");
        var pc2Before = SessionOf(world, "pc2");

        var changes = world.Server.UpdateClients([Entry("pc1", 9), Entry("pc2", 2)], null);

        Assert.Equal(["pc1"], changes.Rekeyed);
        Assert.Equal(1, changes.SessionsClosed);
        Assert.DoesNotContain(world.Server.Sessions, s => s.Name == "pc1");
        Assert.False(Passes(world, "pc1", "10.0.0.2"));
        world.Run(TimeSpan.FromSeconds(60)); // the old client notices and handshakes again with its old key
        Assert.True(world.Server.HandshakeFailures[HandshakeError.WrongKey] >= 1);
        Assert.DoesNotContain(world.Server.Sessions, s => s.Name == "pc1");

        oldPc1.Dispose();
        var newPc1 = world.Connect("pc1", keyFill: 9);
        Assert.True(newPc1.IsConnected);
        Assert.True(Passes(world, "pc1", newPc1.Grant!.ClientAddress.ToString()));
        Assert.Equal(pc2Before.SessionId, SessionOf(world, "pc2").SessionId);
    }

    [Fact]
    public void A_client_given_another_fixed_address_handshakes_again_and_gets_it()
    {
        using var world = new EngineWorld(new VpnServerOptions { Clients = [Entry("pc1", 1, "10.0.0.5")] });
        var pc1 = world.Connect("pc1");
        Assert.Equal("10.0.0.5", pc1.Grant!.ClientAddress.ToString());

        var changes = world.Server.UpdateClients([Entry("pc1", 1, "10.0.0.6")], null);

        Assert.Equal(["pc1"], changes.Readdressed);
        Assert.Empty(world.Server.Sessions);
        world.Run(TimeSpan.FromSeconds(45));
        Assert.Equal("10.0.0.6", SessionOf(world, "pc1").Address.ToString());
        Assert.Equal("10.0.0.6", pc1.Grant!.ClientAddress.ToString());
        Assert.True(Passes(world, "pc1", "10.0.0.6"));
    }

    [Fact]
    public void A_session_holding_an_address_that_becomes_another_clients_fixed_address_ends_and_the_owner_gets_it()
    {
        using var world = new EngineWorld("pc1");
        var pc1 = world.Connect("pc1");
        Assert.Equal("10.0.0.2", pc1.Grant!.ClientAddress.ToString());

        world.Server.UpdateClients([Entry("pc1", 1), Entry("pc3", 3, "10.0.0.2")], null);
        var pc3 = world.Connect("pc3", keyFill: 3);
        world.Run(TimeSpan.FromSeconds(45));

        Assert.Equal("10.0.0.2", pc3.Grant!.ClientAddress.ToString());
        Assert.NotEqual("10.0.0.2", SessionOf(world, "pc1").Address.ToString());
        Assert.True(Passes(world, "pc1", SessionOf(world, "pc1").Address.ToString()));
    }

    [Fact]
    public void A_new_shared_key_ends_the_sessions_of_unlisted_names_only()
    {
        using var world = new EngineWorld(new VpnServerOptions { Clients = [Entry("pc1", 1)], SharedKey = Handshakes.Key(7) });
        world.Connect("pc1");
        world.Connect("laptop", keyFill: 7);
        var pc1Before = SessionOf(world, "pc1");

        var changes = world.Server.UpdateClients([Entry("pc1", 1)], Handshakes.Key(8));

        Assert.True(changes.SharedKeyChanged);
        Assert.Equal(1, changes.SessionsClosed);
        Assert.DoesNotContain(world.Server.Sessions, s => s.Name == "laptop");
        Assert.Equal(Id(pc1Before), Id(SessionOf(world, "pc1")));
    }

    [Fact]
    public void Reloading_the_same_clients_changes_nothing()
    {
        using var world = new EngineWorld("pc1", "pc2");
        var pc1 = world.Connect("pc1");
        world.Connect("pc2");
        var before = world.Server.Sessions;

        var changes = world.Server.UpdateClients([Entry("pc2", 2), Entry("pc1", 1)], null);

        Assert.Equal(new ClientChanges([], [], [], [], false, 0).ToString(), changes.ToString());
        Assert.Equal(before.Select(Id), world.Server.Sessions.Select(Id));
        Assert.True(Passes(world, "pc1", "10.0.0.2"));
        Assert.Equal(1, pc1.Handshakes);
    }

    [Theory]
    [InlineData(false, HandshakeError.UnknownClient)]
    [InlineData(true, HandshakeError.WrongKey)]
    public void A_handshake_that_proved_a_key_a_reload_then_dropped_is_not_granted(bool rekey, HandshakeError expected)
    {
        using var world = new EngineWorld("pc1", "pc2");
        world.Connect("pc1");
        world.Server.AuthenticatedForTests = name =>
        {
            if (name == "pc2")
                world.Server.UpdateClients(rekey ? [Entry("pc1", 1), Entry("pc2", 9)] : [Entry("pc1", 1)], null);
        };

        var pc2 = world.Connect("pc2");

        Assert.False(pc2.IsConnected);
        Assert.Equal(1, world.Server.HandshakeFailures[expected]);
        Assert.DoesNotContain(world.Server.Sessions, s => s.Name == "pc2");
        Assert.Single(world.Server.Sessions);
    }
}

using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Server;
using MyVpn.Tests.Unit.Support;
using Xunit;
using static MyVpn.Tests.Unit.Engines.ServerHandshakeErrorTests;

namespace MyVpn.Tests.Unit.Engines;

/// <summary>
/// docs/protocol.md §2.6 and §1: a frame that stops half-way is ended by the deadline it falls under
/// (the first message's, or the whole handshake's counted from the connection's start) with Reject 7
/// <c>Timeout</c> and a close; and the client sends its datagrams to the address it reached the
/// handshake port on, at the granted port.
/// </summary>
public sealed class StalledHandshakeTests
{
    private static readonly List<ClientEntry> Pc1 = [new("pc1", Handshakes.Key(1))];

    private static EngineWorld NewWorld() => new(new VpnServerOptions
    {
        Clients = Pc1, FirstMessageTimeout = TimeSpan.FromSeconds(2), HandshakeTimeout = TimeSpan.FromSeconds(10),
    });

    [Fact]
    public void Half_a_ClientHello_is_answered_with_Reject_Timeout_at_the_first_message_deadline()
    {
        using var world = NewWorld();
        var raw = Open(world);
        using var client = new ClientHandshake("pc1", Handshakes.Key(1), default, new TestRandom(9));
        raw.Connection!.Send(client.Start().AsSpan(0, 50));
        world.Network.Pump();

        world.Run(TimeSpan.FromSeconds(1.9), TimeSpan.FromMilliseconds(100));
        Assert.False(raw.Closed);
        Assert.Empty(raw.Received);
        world.Run(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(100));

        Assert.True(raw.Closed);
        Assert.Equal(ServerHandshake.RejectFrame(RejectCode.Timeout), raw.Received.ToArray());
        Assert.Equal([5, 1, 0, 1, 7], raw.Received.ToArray());
        Assert.Equal(1, world.Server.HandshakeFailures[HandshakeError.Timeout]);
        AssertStillServing(world);
    }

    [Fact]
    public void Half_a_ClientAuth_is_answered_with_Reject_Timeout_at_the_handshake_deadline_from_the_connection_s_start()
    {
        using var world = NewWorld();
        var raw = Open(world);
        using var client = new ClientHandshake("pc1", Handshakes.Key(1), default, new TestRandom(9));
        world.Run(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100));
        raw.Connection!.Send(client.Start());
        world.Network.Pump();
        var serverHello = raw.Received.ToArray();
        Assert.Equal((byte)HandshakeMessageType.ServerHello, serverHello[0]);
        raw.Received.Clear();
        raw.Connection.Send(client.OnData(serverHello).Reply!.AsSpan(0, 60));
        world.Network.Pump();

        world.Run(TimeSpan.FromSeconds(8.9), TimeSpan.FromMilliseconds(100)); // 9.9 s since the connection opened
        Assert.False(raw.Closed);
        Assert.Empty(raw.Received);
        world.Run(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(100));

        Assert.True(raw.Closed);
        Assert.Equal(ServerHandshake.RejectFrame(RejectCode.Timeout), raw.Received.ToArray());
        Assert.Equal(1, world.Server.HandshakeFailures[HandshakeError.Timeout]);
        Assert.Empty(world.Server.Sessions);
    }

    [Fact]
    public void The_client_sends_its_datagrams_to_the_address_it_reached_the_handshake_port_on_at_the_granted_port()
    {
        using var world = new EngineWorld("pc1");
        var pc1 = world.Connect("pc1", publicAddress: "192.0.2.10");
        Assert.True(pc1.IsConnected);
        world.SendFrom("pc1", Packets.IPv4("10.0.0.2", "8.8.8.8"));
        world.Run(TimeSpan.FromSeconds(12));

        var sent = world.Network.Wire.Where(d => !d.Tcp && d.From.Address == IPv4Address.Parse("192.0.2.10")).ToList();
        Assert.NotEmpty(sent);
        var granted = new NetEndpoint(EngineWorld.ServerEndpoint.Address, pc1.Grant!.Port);
        Assert.All(sent, d => Assert.Equal(granted, d.To));
        Assert.NotEqual(EngineWorld.ServerEndpoint.Port, granted.Port);
    }
}

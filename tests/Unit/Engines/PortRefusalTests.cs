using MyVpn.Client;
using MyVpn.Io;
using MyVpn.Protocol;
using MyVpn.Server;
using MyVpn.Tests.Unit.Support;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using Xunit;

namespace MyVpn.Tests.Unit.Engines;

/// <summary>
/// The host may refuse a session port (another program holds it, or the system forbids it). The server
/// retires that port for good, grants the next free one, and keeps serving; when no port is left the
/// handshake is refused as <see cref="HandshakeError.NoPortAvailable"/> and the sessions already up go on.
/// </summary>
public sealed class PortRefusalTests
{
    private const ushort Taken = 40000;

    /// <summary>
    /// A binder that opens ports on the world's network, except <see cref="Taken"/>, which it refuses as the
    /// Linux binder does when another program holds the port.
    /// </summary>
    private static IDatagramBinder RefusingTaken(IDatagramBinder network)
    {
        var binder = Substitute.For<IDatagramBinder>();
        binder.Bind(Arg.Any<ushort>(), Arg.Any<Action<IDatagramTransport>>())
            .Returns(call => network.Bind(call.ArgAt<ushort>(0), call.ArgAt<Action<IDatagramTransport>>(1)));
        binder.Bind(Taken, Arg.Any<Action<IDatagramTransport>>())
            .Throws(new PortUnavailableException(Taken, "Address already in use"));
        return binder;
    }

    private static VpnServerOptions Options(ushort lastPort, params string[] names) => new()
    {
        Clients = names.Select((n, i) => new ClientEntry(n, Handshakes.Key((byte)(i + 1)))).ToList(),
        FirstPort = Taken,
        LastPort = lastPort,
    };

    [Fact]
    public void A_refused_port_is_retired_and_the_next_one_granted_and_never_tried_again()
    {
        IDatagramBinder? binder = null;
        using var world = new EngineWorld(Options(40009, "pc1", "pc2"), serverBinder: host => binder = RefusingTaken(host));

        var pc1 = world.Connect("pc1");
        var pc2 = world.Connect("pc2");

        Assert.True(pc1.IsConnected);
        Assert.True(pc2.IsConnected);
        Assert.Equal((ushort)40001, pc1.Grant!.Port);
        Assert.Equal((ushort)40002, pc2.Grant!.Port);
        binder!.Received(1).Bind(Taken, Arg.Any<Action<IDatagramTransport>>());
        Assert.Equal([40001, 40002], world.Server.Sessions.Select(s => (int)s.Port));

        // the session on the next port carries traffic both ways
        var ping = Packets.IPv4("10.0.0.2", "8.8.8.8");
        world.SendFrom("pc1", ping);
        Assert.Equal([ping], world.ServerTun.Written);
        var reply = Packets.IPv4("8.8.8.8", "10.0.0.2");
        world.ServerTun.Inject(reply);
        world.Server.OnTunReadable();
        world.Network.Pump();
        Assert.Equal([reply], world.Clients["pc1"].Tun.Written);
    }

    [Fact]
    public void When_every_free_port_is_refused_the_handshake_is_refused_and_the_sessions_already_up_go_on()
    {
        IDatagramBinder? binder = null;
        using var world = new EngineWorld(Options(40001, "pc1", "pc2"), serverBinder: host => binder = RefusingTaken(host));
        var pc1 = world.Connect("pc1"); // takes 40001 after 40000 is refused: none is left

        var pc2 = world.Connect("pc2");

        Assert.True(pc1.IsConnected);
        Assert.False(pc2.IsConnected);
        Assert.Equal(1, world.Server.HandshakeFailures[HandshakeError.NoPortAvailable]);
        Assert.Equal(["pc1"], world.Server.Sessions.Select(s => s.Name));
        var ping = Packets.IPv4("10.0.0.2", "8.8.8.8");
        world.SendFrom("pc1", ping);
        Assert.Equal([ping], world.ServerTun.Written);

        // pc2 keeps retrying; once pc1's session times out and frees the port, pc2 gets it
        world.Clients["pc1"].Engine.Dispose();
        world.Run(new VpnServerOptions().SessionTimeout + new VpnClientOptions { Server = default, Name = "x", Key = new byte[32] }.MaxRefusalRetryDelay + TimeSpan.FromSeconds(10));
        Assert.True(pc2.IsConnected);
        Assert.Equal((ushort)40001, pc2.Grant!.Port);
        binder!.Received(1).Bind(Taken, Arg.Any<Action<IDatagramTransport>>());
    }
}

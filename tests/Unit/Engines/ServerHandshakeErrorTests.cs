using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Engines;

/// <summary>Bad handshakes against the server engine: each gets its named error, and the server keeps serving.</summary>
public sealed class ServerHandshakeErrorTests
{
    internal static RawStream Open(EngineWorld world, string from = "192.0.2.99")
    {
        var raw = new RawStream();
        raw.Connection = world.Network.Host(from).Connect(EngineWorld.ServerEndpoint, raw);
        world.Network.Pump();
        Assert.True(raw.Connected);
        return raw;
    }

    internal static void AssertStillServing(EngineWorld world)
    {
        var pc1 = world.Connect("pc1");
        Assert.True(pc1.IsConnected);
        var packet = Packets.IPv4("10.0.0.2", "8.8.8.8");
        world.SendFrom("pc1", packet);
        Assert.Contains(world.ServerTun.Written, p => p.SequenceEqual(packet));
    }

    public static TheoryData<string, byte[], HandshakeError, RejectCode?> BadInputs => new()
    {
        { "garbage", "GET / HTTP/1.1\r\n\r\n"u8.ToArray(), HandshakeError.UnknownMessageType, RejectCode.Malformed },
        { "wrong version", [1, 9, 0, 97], HandshakeError.UnsupportedVersion, RejectCode.UnsupportedVersion },
        { "oversized", [1, 1, 0xFF, 0xFF], HandshakeError.Oversized, RejectCode.Malformed },
        { "undersized", [1, 1, 0, 3, 1, 2, 3], HandshakeError.Malformed, RejectCode.Malformed },
        { "server message from a client", [2, 1, 0, 97, .. new byte[97]], HandshakeError.UnexpectedMessage, RejectCode.Malformed },
        { "invalid public key", [1, 1, 0, 97, 4, .. new byte[96]], HandshakeError.InvalidPublicKey, RejectCode.Malformed },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_handshake_gets_its_named_error_and_the_server_keeps_serving(string what, byte[] bytes, HandshakeError error, RejectCode? reject)
    {
        using var world = new EngineWorld("pc1");
        var raw = Open(world);
        raw.Connection!.Send(bytes);
        world.Network.Pump();
        Assert.True(world.Server.HandshakeFailures[error] == 1, what);
        Assert.True(raw.Closed, what);
        Assert.Equal(ServerHandshake.RejectFrame(reject!.Value), raw.Received.ToArray());
        AssertStillServing(world);
    }

    [Fact]
    public void Connection_closed_mid_message_is_Truncated()
    {
        using var world = new EngineWorld("pc1");
        var raw = Open(world);
        raw.Connection!.Send([1, 1, 0, 97, 4, 4, 4]);
        raw.Connection.Close();
        world.Network.Pump();
        Assert.Equal(1, world.Server.HandshakeFailures[HandshakeError.Truncated]);
        AssertStillServing(world);
    }

    [Fact]
    public void Silent_connection_times_out()
    {
        using var world = new EngineWorld("pc1");
        var raw = Open(world);
        world.Run(TimeSpan.FromSeconds(11));
        Assert.Equal(1, world.Server.HandshakeFailures[HandshakeError.Timeout]);
        Assert.True(raw.Closed);
        AssertStillServing(world);
    }

    [Fact]
    public void Unknown_client_is_refused_by_name()
    {
        using var world = new EngineWorld("pc1");
        var raw = Open(world);
        using var stranger = new ClientHandshake("mallory", Handshakes.Key(1), default, new TestRandom(9));
        raw.Connection!.Send(stranger.Start());
        world.Network.Pump();
        raw.Connection.Send(stranger.OnData(raw.Received.ToArray()).Reply!);
        world.Network.Pump();
        Assert.Equal(1, world.Server.HandshakeFailures[HandshakeError.UnknownClient]);
        Assert.Empty(world.Server.Sessions);
        AssertStillServing(world);
    }

    [Fact]
    public void Replayed_recorded_handshake_creates_no_session()
    {
        using var world = new EngineWorld("pc1");
        var first = Open(world);
        using var client = new ClientHandshake("pc1", Handshakes.Key(1), default, new TestRandom(9));
        var hello = client.Start();
        first.Connection!.Send(hello);
        world.Network.Pump();
        var auth = client.OnData(first.Received.ToArray()).Reply!;
        first.Connection.Send(auth);
        world.Network.Pump();
        Assert.Single(world.Server.Sessions);

        var replay = Open(world);
        replay.Connection!.Send(hello);
        world.Network.Pump();
        replay.Connection.Send(auth);
        world.Network.Pump();
        Assert.Equal(1, world.Server.HandshakeFailures[HandshakeError.ClientAuthUndecryptable]);
        Assert.Single(world.Server.Sessions);
    }
}

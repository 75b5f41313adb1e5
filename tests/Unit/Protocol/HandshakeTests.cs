using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Protocol;

public sealed class HandshakeTests
{
    private static ClientHandshake Client(string name = "pc1", byte fill = 1, int seed = 1) =>
        new(name, Handshakes.Key(fill), default, new TestRandom(seed));

    private static ServerHandshake Server(int seed = 100) => new(Handshakes.Keys(), new TestRandom(seed));

    [Fact]
    public void Client_with_the_right_key_gets_the_grant()
    {
        using var client = Client();
        using var server = Server();
        var (clientStep, serverStep) = Handshakes.Run(client, server);
        Assert.Equal(HandshakeStatus.Authenticated, serverStep.Status);
        Assert.Equal("pc1", server.ClientName);
        Assert.Equal(HandshakeStatus.Established, clientStep.Status);
        Assert.Equal(Handshakes.Grant, client.Grant);
    }

    [Fact]
    public void Both_sides_derive_matching_data_keys()
    {
        using var client = Client();
        using var server = Server();
        var auth = client.OnData(server.OnData(client.Start()).Reply!).Reply!;
        server.OnData(auth);
        var (accept, serverSession) = server.Accept(Handshakes.Grant, PureChannel.Create);
        Assert.Equal(HandshakeStatus.Established, client.OnData(accept).Status);
        using var clientSession = client.CreateSession(PureChannel.Create);

        var buffer = new byte[64];
        "hello"u8.CopyTo(buffer.AsSpan(16));
        Assert.True(clientSession.TrySeal(buffer, 5, out var length));
        Assert.True(serverSession.TryOpen(buffer.AsSpan(0, length), out var plain, out _));
        Assert.Equal("hello"u8.ToArray(), buffer.AsSpan(16, plain).ToArray());

        "world"u8.CopyTo(buffer.AsSpan(16));
        Assert.True(serverSession.TrySeal(buffer, 5, out length));
        Assert.True(clientSession.TryOpen(buffer.AsSpan(0, length), out plain, out _));
        Assert.Equal("world"u8.ToArray(), buffer.AsSpan(16, plain).ToArray());
        serverSession.Dispose();
    }

    [Fact]
    public void Wrong_key_is_refused_with_WrongKey_and_the_client_hears_AuthenticationRejected()
    {
        using var client = Client(fill: 9);
        using var server = Server();
        var (clientStep, serverStep) = Handshakes.Run(client, server);
        Assert.Equal(HandshakeError.WrongKey, serverStep.Error);
        Assert.Equal(HandshakeError.AuthenticationRejected, clientStep.Error);
        Assert.Null(server.ClientName);
    }

    [Fact]
    public void Unknown_client_is_refused_with_UnknownClient()
    {
        using var client = Client(name: "mallory");
        using var server = Server();
        var (clientStep, serverStep) = Handshakes.Run(client, server);
        Assert.Equal(HandshakeError.UnknownClient, serverStep.Error);
        Assert.Equal("mallory", server.ClaimedName);
        Assert.Equal(HandshakeError.AuthenticationRejected, clientStep.Error);
    }

    [Fact]
    public void Server_that_does_not_hold_the_key_fails_the_client_with_ServerAuthFailed()
    {
        using var client = Client();
        using var impostor = new ServerHandshake(new Dictionary<string, byte[]> { ["pc1"] = Handshakes.Key(1) }, new TestRandom(5));
        var serverHello = impostor.OnData(client.Start()).Reply!;
        var clientAuth = client.OnData(serverHello).Reply!;
        Assert.Equal(HandshakeStatus.Authenticated, impostor.OnData(clientAuth).Status);
        // An impostor that knows pc1's key would pass; one that guesses a key cannot forge ServerAccept:
        using var guessing = new ServerHandshake(new Dictionary<string, byte[]> { ["pc1"] = Handshakes.Key(7) }, new TestRandom(5));
        using var client2 = Client(seed: 2);
        var hello2 = guessing.OnData(client2.Start()).Reply!;
        var auth2 = client2.OnData(hello2).Reply!;
        Assert.Equal(HandshakeError.WrongKey, guessing.OnData(auth2).Error);
        var forgedAccept = HandshakeMessage.Frame(HandshakeMessageType.ServerAccept, new byte[HandshakeMessage.ServerAcceptLength]);
        Assert.Equal(HandshakeError.ServerAuthFailed, client2.OnData(forgedAccept).Error);
    }

    [Fact]
    public void Replayed_recorded_handshake_creates_no_session()
    {
        using var client = Client();
        using var server = Server(seed: 100);
        var clientHello = client.Start();
        var serverHello = server.OnData(clientHello).Reply!;
        var clientAuth = client.OnData(serverHello).Reply!;
        Assert.Equal(HandshakeStatus.Authenticated, server.OnData(clientAuth).Status);

        using var later = Server(seed: 101);
        Assert.Equal(HandshakeStatus.InProgress, later.OnData(clientHello).Status);
        var replay = later.OnData(clientAuth);
        Assert.Equal(HandshakeStatus.Failed, replay.Status);
        Assert.Equal(HandshakeError.ClientAuthUndecryptable, replay.Error);
        Assert.Null(later.ClientName);
    }

    [Fact]
    public void Messages_split_into_single_bytes_still_complete()
    {
        using var client = Client();
        using var server = Server();
        HandshakeStep step = default;
        foreach (var b in client.Start())
            step = server.OnData([b]);
        byte[]? auth = null;
        foreach (var b in step.Reply!)
            auth = client.OnData([b]).Reply ?? auth;
        foreach (var b in auth!)
            step = server.OnData([b]);
        Assert.Equal(HandshakeStatus.Authenticated, step.Status);
    }

    [Fact]
    public void Passive_observer_sees_neither_the_client_name_nor_keys()
    {
        using var client = Client(name: "pc1-secret-name");
        using var server = new ServerHandshake(new Dictionary<string, byte[]> { ["pc1-secret-name"] = Handshakes.Key(1) }, new TestRandom(3));
        var wire = new List<byte>();
        var hello = client.Start(); wire.AddRange(hello);
        var serverHello = server.OnData(hello).Reply!; wire.AddRange(serverHello);
        var auth = client.OnData(serverHello).Reply!; wire.AddRange(auth);
        server.OnData(auth);
        var (accept, _) = server.Accept(Handshakes.Grant, PureChannel.Create); wire.AddRange(accept);
        var bytes = wire.ToArray();
        Assert.Equal(-1, bytes.AsSpan().IndexOf("pc1-secret-name"u8));
        Assert.Equal(-1, bytes.AsSpan().IndexOf(Handshakes.Key(1)));
        Assert.Equal(-1, bytes.AsSpan().IndexOf(IPv4Address.Parse("10.0.0.2") is var a ? new byte[] { 10, 0, 0, 2 } : []));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(63)]
    [InlineData(64)]
    public void ClientAuth_is_one_fixed_size_whatever_the_name_length(int nameLength)
    {
        var name = new string('n', nameLength);
        using var client = Client(name: name);
        using var server = new ServerHandshake(new Dictionary<string, byte[]> { [name] = Handshakes.Key(1) }, new TestRandom(4));
        var auth = client.OnData(server.OnData(client.Start()).Reply!).Reply!;
        Assert.Equal(HandshakeMessage.HeaderLength + HandshakeMessage.ClientAuthLength, auth.Length);
        Assert.Equal(121, auth.Length);
        Assert.Equal(HandshakeStatus.Authenticated, server.OnData(auth).Status);
        Assert.Equal(name, server.ClientName);
    }

    [Theory]
    [InlineData("p")]
    [InlineData("pc1")]
    [InlineData("ünïcødé-名前")]
    [InlineData("a-name-of-exactly-sixty-four-bytes-fills-the-whole-name-field-00")]
    public void Server_reads_the_name_and_the_requested_address_after_the_64_byte_name_field(string name)
    {
        using var client = new ClientHandshake(name, Handshakes.Key(1), IPv4Address.Parse("10.0.0.77"), new TestRandom(5));
        using var server = new ServerHandshake(new Dictionary<string, byte[]> { [name] = Handshakes.Key(1) }, new TestRandom(6));
        Assert.Equal(HandshakeStatus.Established, Handshakes.Run(client, server).Client.Status);
        Assert.Equal(name, server.ClientName);
        Assert.Equal(IPv4Address.Parse("10.0.0.77"), server.RequestedAddress);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a-name-of-sixty-five-bytes-is-one-more-than-the-name-field-holds!")]
    [InlineData("ééééééééééééééééééééééééééééééééx")] // 33 characters, 65 UTF-8 bytes
    public void Client_refuses_a_name_that_does_not_fit_the_name_field(string name)
    {
        Assert.Throws<ArgumentException>(() => new ClientHandshake(name, Handshakes.Key(1), default, new TestRandom(1)));
    }
}

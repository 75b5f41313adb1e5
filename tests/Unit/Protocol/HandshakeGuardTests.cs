using System.Security.Cryptography;
using MyVpn.Crypto;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Protocol;

/// <summary>
/// The handshakes' guards against misuse and what they hand back beside the wire bytes: the key
/// lengths they accept, calls out of order, a reply that must not be lost when a read also holds the
/// start of the next message, the key log, the provider they were given, and the proof counter.
/// </summary>
public sealed class HandshakeGuardTests
{
    private static ClientHandshake NewClient(ICryptoProvider? crypto = null) =>
        new("pc1", Handshakes.Key(1), IPv4Address.Parse("10.0.0.9"), new TestRandom(1)) { Crypto = crypto ?? CryptoProviders.Default };

    private static ServerHandshake NewServer(ICryptoProvider? crypto = null) =>
        new(Handshakes.Keys(), new TestRandom(100)) { Crypto = crypto ?? CryptoProviders.Default };

    /// <summary>A provider that forwards to the default one and counts the AEADs and agreements asked of it.</summary>
    private sealed class CountingProvider : ICryptoProvider, IKeyAgreement
    {
        public int Aeads { get; private set; }

        public int Agreements { get; private set; }

        public string Name => "counting";

        public IKeyAgreement KeyAgreement => this;

        public IAead CreateAead(ReadOnlySpan<byte> key, bool encrypt)
        {
            Aeads++;
            return CryptoProviders.Default.CreateAead(key, encrypt);
        }

        public bool IsValidScalar(ReadOnlySpan<byte> scalar) => CryptoProviders.Default.KeyAgreement.IsValidScalar(scalar);

        public void PublicKey(ReadOnlySpan<byte> scalar, Span<byte> point) => CryptoProviders.Default.KeyAgreement.PublicKey(scalar, point);

        public bool TryAgree(ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> peerPoint, Span<byte> secret)
        {
            Agreements++;
            return CryptoProviders.Default.KeyAgreement.TryAgree(scalar, peerPoint, secret);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void Client_refuses_a_pre_shared_key_that_is_not_32_bytes(int length)
    {
        var error = Assert.Throws<ArgumentException>(() => new ClientHandshake("pc1", new byte[length], default, new TestRandom(1)));
        Assert.Equal("psk", error.ParamName);
        Assert.StartsWith("a pre-shared key is 32 bytes", error.Message);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    public void Server_refuses_a_dummy_key_that_is_not_32_bytes(int length)
    {
        var error = Assert.Throws<ArgumentException>(() => new ServerHandshake(_ => null, new TestRandom(1), new byte[length]));
        Assert.Equal("unknownClientKey", error.ParamName);
        Assert.StartsWith("the dummy key is 32 bytes", error.Message);
    }

    [Fact]
    public void Client_starts_only_once()
    {
        using var client = NewClient();
        client.Start();
        Assert.Equal("the handshake has started already", Assert.Throws<InvalidOperationException>(() => client.Start()).Message);
    }

    [Fact]
    public void Client_refuses_a_name_too_long_saying_how_long_a_name_may_be()
    {
        var error = Assert.Throws<ArgumentException>(() => new ClientHandshake(new string('a', 65), Handshakes.Key(1), default, new TestRandom(1)));
        Assert.Equal("name", error.ParamName);
        Assert.StartsWith("a client name is 1 to 64 bytes", error.Message);
    }

    [Fact]
    public void Client_makes_no_session_before_one_is_granted_nor_after_a_reject()
    {
        using var client = NewClient();
        using var server = NewServer();
        Assert.Equal("no session was granted", Assert.Throws<InvalidOperationException>(() => client.CreateSession(PureChannel.Create)).Message);
        client.OnData(server.OnData(client.Start()).Reply!);
        Assert.Throws<InvalidOperationException>(() => client.CreateSession(PureChannel.Create));

        Assert.Equal(HandshakeError.Busy, client.OnData(ServerHandshake.RejectFrame(RejectCode.Busy)).Error);

        Assert.Equal(RejectCode.Busy, client.RejectCode);
        Assert.Null(client.Grant);
        Assert.Throws<InvalidOperationException>(() => client.CreateSession(PureChannel.Create));
    }

    [Fact]
    public void Server_grants_nothing_before_the_client_is_authenticated()
    {
        using var client = NewClient();
        using var server = NewServer();
        Assert.Equal("the client is not authenticated",
            Assert.Throws<InvalidOperationException>(() => server.Accept(Handshakes.Grant, PureChannel.Create)).Message);
        server.OnData(client.Start());
        Assert.Throws<InvalidOperationException>(() => server.Accept(Handshakes.Grant, PureChannel.Create));
    }

    [Fact]
    public void Client_keeps_its_ClientAuth_reply_when_the_same_read_holds_the_start_of_ServerAccept()
    {
        using var client = NewClient();
        using var server = NewServer();
        var serverHello = server.OnData(client.Start()).Reply!;
        // The ServerAccept of another run of the same seeds: its first bytes follow ServerHello in one read.
        var acceptHeader = HandshakeMessage.Frame(HandshakeMessageType.ServerAccept, new byte[HandshakeMessage.ServerAcceptLength])[..6];

        var step = client.OnData([.. serverHello, .. acceptHeader]);

        Assert.Equal(HandshakeStatus.InProgress, step.Status);
        Assert.NotNull(step.Reply);
        Assert.Equal(HandshakeMessage.HeaderLength + HandshakeMessage.ClientAuthLength, step.Reply.Length);
        Assert.Equal(HandshakeStatus.Authenticated, server.OnData(step.Reply).Status);
        Assert.Equal(HandshakeError.Truncated, client.OnClosed());
    }

    [Fact]
    public void Server_keeps_its_ServerHello_reply_when_the_same_read_holds_the_start_of_ClientAuth()
    {
        using var client = NewClient();
        using var server = NewServer();

        var step = server.OnData([.. client.Start(), (byte)HandshakeMessageType.ClientAuth, WireFormat.Version]);

        Assert.Equal(HandshakeStatus.InProgress, step.Status);
        Assert.NotNull(step.Reply);
        Assert.Equal(HandshakeMessageType.ServerHello, (HandshakeMessageType)step.Reply[0]);
        Assert.Equal(HandshakeError.Truncated, server.OnClosed());
    }

    [Fact]
    public void Both_sides_hand_the_same_session_keys_to_their_key_logs_and_to_no_one_else()
    {
        using var client = NewClient();
        using var server = NewServer();
        var auth = client.OnData(server.OnData(client.Start()).Reply!).Reply!;
        server.OnData(auth);
        SessionKeys? serverKeys = null;
        SessionKeys? clientKeys = null;
        var (accept, serverSession) = server.Accept(Handshakes.Grant, PureChannel.Create, keys => serverKeys = keys);
        using var _ = serverSession;
        Assert.Equal(HandshakeStatus.Established, client.OnData(accept).Status);
        using var clientSession = client.CreateSession(PureChannel.Create, keys => clientKeys = keys);

        Assert.NotNull(serverKeys);
        Assert.NotNull(clientKeys);
        Assert.Equal(Handshakes.Grant.SessionId, serverKeys.SessionId);
        Assert.Equal(Handshakes.Grant.SessionId, clientKeys.SessionId);
        Assert.Equal(serverKeys.ClientToServer, clientKeys.ClientToServer);
        Assert.Equal(serverKeys.ServerToClient, clientKeys.ServerToClient);
        Assert.NotEqual(serverKeys.ClientToServer, serverKeys.ServerToClient);
        Assert.True(serverKeys.ClientToServer.AsSpan().ContainsAnyExcept((byte)0)); // copies: the handshakes wiped their own
        Assert.True(clientKeys.ServerToClient.AsSpan().ContainsAnyExcept((byte)0));
        Assert.Equal(WireFormat.KeyLength, clientKeys.ClientToServer.Length);
    }

    [Fact]
    public void Handshake_cryptography_goes_through_the_provider_each_side_was_given()
    {
        var clientCrypto = new CountingProvider();
        var serverCrypto = new CountingProvider();
        using var client = NewClient(clientCrypto);
        using var server = NewServer(serverCrypto);

        Assert.Equal(HandshakeStatus.Established, Handshakes.Run(client, server).Client.Status);

        // Each side: one agreement, and one AEAD each for ClientAuth and ServerAccept.
        Assert.Equal((1, 2), (clientCrypto.Agreements, clientCrypto.Aeads));
        Assert.Equal((1, 2), (serverCrypto.Agreements, serverCrypto.Aeads));
    }

    [Fact]
    public void Key_schedule_seals_and_opens_with_the_default_provider_unless_given_one()
    {
        var key = Handshakes.Key(7);
        var counting = new CountingProvider();
        var viaDefault = KeySchedule.Seal(key, "grant"u8, "th"u8);
        var viaCounting = KeySchedule.Seal(key, "grant"u8, "th"u8, counting);

        Assert.Equal(viaDefault, viaCounting);
        Assert.Equal(1, counting.Aeads);
        Assert.True(KeySchedule.TryOpen(key, viaDefault, "th"u8, out var opened));
        Assert.Equal("grant"u8.ToArray(), opened);
        Assert.True(KeySchedule.TryOpen(key, viaDefault, "th"u8, out _, counting));
        Assert.Equal(2, counting.Aeads);
        Assert.False(KeySchedule.TryOpen(key, viaDefault, "other"u8, out var refused));
        Assert.False(refused.AsSpan().ContainsAnyExcept((byte)0));
    }

    [Fact]
    public void Server_counts_one_proof_check_per_ClientAuth_and_remembers_a_match()
    {
        using var client = NewClient();
        using var server = NewServer();
        Assert.Equal(0, server.ProofsChecked);
        var auth = client.OnData(server.OnData(client.Start()).Reply!).Reply!;
        Assert.Equal(0, server.ProofsChecked);

        Assert.Equal(HandshakeStatus.Authenticated, server.OnData(auth).Status);

        Assert.Equal(1, server.ProofsChecked);
        Assert.True(server.LastProofMatched);
        Assert.Equal("pc1", server.ClientName);
        Assert.Equal("pc1", server.ClaimedName);
        Assert.Equal(IPv4Address.Parse("10.0.0.9"), server.RequestedAddress);
    }

    [Fact]
    public void Server_that_refuses_bytes_after_authentication_forgets_the_client_and_its_address()
    {
        using var client = NewClient();
        using var server = NewServer();
        var auth = client.OnData(server.OnData(client.Start()).Reply!).Reply!;
        Assert.Equal(HandshakeStatus.Authenticated, server.OnData(auth).Status);

        Assert.Equal(HandshakeError.UnexpectedMessage, server.OnData([0]).Error);

        Assert.Null(server.ClientName);
        Assert.Equal(default, server.RequestedAddress);
        Assert.Equal("pc1", server.ClaimedName); // for the log
        Assert.Equal(HandshakeError.UnexpectedMessage, server.OnData([0]).Error);
        Assert.Equal(HandshakeError.None, server.OnClosed());
    }

    [Fact]
    public void Finished_handshakes_report_no_error_when_the_connection_then_closes()
    {
        using var client = NewClient();
        using var server = NewServer();
        Assert.Equal(HandshakeError.ConnectionClosed, client.OnClosed());
        Assert.Equal(HandshakeError.ConnectionClosed, server.OnClosed());
        Assert.Equal(HandshakeStatus.Established, Handshakes.Run(client, server).Client.Status);

        Assert.Equal(HandshakeError.None, client.OnClosed());
        Assert.Equal(HandshakeError.None, server.OnClosed());
    }

    private static PureChannel Throwing(uint id, ReadOnlySpan<byte> sealKey, ReadOnlySpan<byte> openKey) =>
        throw new CryptographicException("the channel could not be made");

    [Fact]
    public void Server_whose_channel_factory_throws_wipes_every_secret_and_seals_nothing_more()
    {
        using var client = NewClient();
        using var server = NewServer();
        var secrets = new SecretTracker();
        server.Secrets = secrets;
        server.OnData(client.OnData(server.OnData(client.Start()).Reply!).Reply!);

        Assert.Throws<CryptographicException>(() => server.Accept(Handshakes.Grant, Throwing));

        Assert.Empty(secrets.NotWiped);
        Assert.Contains("data keys", secrets.Names);
        Assert.Contains("grant", secrets.Names);
        Assert.Throws<InvalidOperationException>(() => server.Accept(Handshakes.Grant, PureChannel.Create));
    }

    [Fact]
    public void Client_whose_channel_factory_throws_wipes_the_data_keys_and_makes_no_second_session()
    {
        using var client = NewClient();
        using var server = NewServer();
        var secrets = new SecretTracker();
        client.Secrets = secrets;
        Assert.Equal(HandshakeStatus.Established, Handshakes.Run(client, server).Client.Status);
        Assert.Equal(["data key"], secrets.NotWiped.Distinct());

        Assert.Throws<CryptographicException>(() => client.CreateSession(Throwing));

        Assert.Empty(secrets.NotWiped);
        Assert.Equal("the session was created already; its keys are wiped",
            Assert.Throws<InvalidOperationException>(() => client.CreateSession(PureChannel.Create)).Message);
    }
}

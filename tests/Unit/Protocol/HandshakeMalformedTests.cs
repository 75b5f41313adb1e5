using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Protocol;

/// <summary>Bad handshake input of every kind ends in a named error, never an exception (docs/protocol.md §2, §7).</summary>
public sealed class HandshakeMalformedTests
{
    private static ClientHandshake Client(int seed = 1) => new("pc1", Handshakes.Key(1), default, new TestRandom(seed));

    private static ServerHandshake Server(int seed = 100) => new(Handshakes.Keys(), new TestRandom(seed));

    /// <summary>A header as written, whatever it claims, followed by <paramref name="body"/>.</summary>
    private static byte[] RawFrame(byte type, byte version, int announcedLength, ReadOnlySpan<byte> body) =>
        [type, version, (byte)(announcedLength >> 8), (byte)announcedLength, .. body];

    private static byte[] ServerHelloFor(ClientHandshake client, out byte[] clientHello)
    {
        using var server = Server();
        clientHello = client.Start();
        return server.OnData(clientHello).Reply!;
    }

    private static HandshakeStep ServerGetsCraftedAuth(ReadOnlySpan<byte> plaintext)
    {
        using var crafted = new CraftedClient(seed: 7);
        using var server = Server();
        var serverHello = server.OnData(crafted.ClientHello).Reply!;
        return server.OnData(crafted.ClientAuth(serverHello, plaintext));
    }

    // ---- truncation: the connection closes mid-exchange ----

    [Fact]
    public void Server_whose_client_closes_before_any_byte_reports_ConnectionClosed()
    {
        using var server = Server();
        Assert.Equal(HandshakeError.ConnectionClosed, server.OnClosed());
    }

    [Fact]
    public void Server_whose_client_closes_mid_ClientHello_reports_Truncated()
    {
        using var client = Client();
        using var server = Server();
        var hello = client.Start();
        Assert.Equal(HandshakeStatus.InProgress, server.OnData(hello.AsSpan(0, hello.Length - 1)).Status);
        Assert.Equal(HandshakeError.Truncated, server.OnClosed());
    }

    [Fact]
    public void Server_whose_client_closes_mid_ClientAuth_header_reports_Truncated()
    {
        using var client = Client();
        using var server = Server();
        var auth = client.OnData(server.OnData(client.Start()).Reply!).Reply!;
        Assert.Equal(HandshakeStatus.InProgress, server.OnData(auth.AsSpan(0, 3)).Status);
        Assert.Equal(HandshakeError.Truncated, server.OnClosed());
    }

    [Fact]
    public void Server_whose_client_closes_after_an_authenticated_ClientAuth_reports_no_error()
    {
        using var client = Client();
        using var server = Server();
        var auth = client.OnData(server.OnData(client.Start()).Reply!).Reply!;
        Assert.Equal(HandshakeStatus.Authenticated, server.OnData(auth).Status);
        Assert.Equal(HandshakeError.None, server.OnClosed());
    }

    [Fact]
    public void Client_whose_server_closes_mid_ServerHello_reports_Truncated()
    {
        using var client = Client();
        var serverHello = ServerHelloFor(client, out _);
        Assert.Equal(HandshakeStatus.InProgress, client.OnData(serverHello.AsSpan(0, 60)).Status);
        Assert.Equal(HandshakeError.Truncated, client.OnClosed());
    }

    [Fact]
    public void Client_whose_server_closes_before_ServerAccept_reports_ConnectionClosed()
    {
        using var client = Client();
        Assert.NotNull(client.OnData(ServerHelloFor(client, out _)).Reply);
        Assert.Equal(HandshakeError.ConnectionClosed, client.OnClosed());
    }

    // ---- the header: length, type, version ----

    [Theory]
    [InlineData(HandshakeMessageType.ClientHello, HandshakeMessage.HelloLength + 1)]
    [InlineData(HandshakeMessageType.ClientAuth, HandshakeMessage.ClientAuthLength + 1)]
    [InlineData(HandshakeMessageType.ClientAuth, 0xFFFF)]
    public void Server_refuses_an_oversized_length_as_Oversized_before_the_body_arrives(HandshakeMessageType type, int length)
    {
        using var server = Server();
        var step = server.OnData(RawFrame((byte)type, WireFormat.Version, length, []));
        Assert.Equal(HandshakeStatus.Failed, step.Status);
        Assert.Equal(HandshakeError.Oversized, step.Error);
    }

    [Theory]
    [InlineData(HandshakeMessageType.ServerHello, HandshakeMessage.HelloLength + 1)]
    [InlineData(HandshakeMessageType.ServerAccept, HandshakeMessage.ServerAcceptLength + 1)]
    [InlineData(HandshakeMessageType.Reject, HandshakeMessage.RejectLength + 1)]
    public void Client_refuses_an_oversized_length_as_Oversized_before_the_body_arrives(HandshakeMessageType type, int length)
    {
        using var client = Client();
        client.Start();
        Assert.Equal(HandshakeError.Oversized, client.OnData(RawFrame((byte)type, WireFormat.Version, length, [])).Error);
    }

    [Theory]
    [InlineData(HandshakeMessageType.ClientHello, HandshakeMessage.HelloLength - 1)]
    [InlineData(HandshakeMessageType.ClientHello, 0)]
    [InlineData(HandshakeMessageType.ClientAuth, HandshakeMessage.ClientAuthLength - 1)]
    public void Server_refuses_a_length_below_the_minimum_as_Malformed(HandshakeMessageType type, int length)
    {
        using var server = Server();
        Assert.Equal(HandshakeError.Malformed, server.OnData(RawFrame((byte)type, WireFormat.Version, length, [])).Error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(0x16)] // a TLS record, someone pointed a browser at the port
    [InlineData(0xFF)]
    public void Unknown_message_type_is_refused_as_UnknownMessageType(byte type)
    {
        using var server = Server();
        Assert.Equal(HandshakeError.UnknownMessageType, server.OnData(RawFrame(type, WireFormat.Version, 1, [0])).Error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(0xFF)]
    public void Other_protocol_version_is_refused_as_UnsupportedVersion(byte version)
    {
        using var server = Server();
        using var client = Client();
        var hello = client.Start();
        hello[1] = version;
        Assert.Equal(HandshakeError.UnsupportedVersion, server.OnData(hello).Error);
    }

    [Fact]
    public void Http_request_on_the_handshake_port_is_refused_without_an_exception()
    {
        using var server = Server();
        var step = server.OnData("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8);
        Assert.Equal(HandshakeStatus.Failed, step.Status);
        Assert.Equal(HandshakeError.UnknownMessageType, step.Error); // 'G' (0x47) is no message type
    }

    [Fact]
    public void Header_with_an_unknown_type_and_another_version_is_refused_for_its_type_first()
    {
        using var server = Server();
        Assert.Equal(HandshakeError.UnknownMessageType, server.OnData(RawFrame(9, 2, 1, [0])).Error);
    }

    // ---- order ----

    [Theory]
    [InlineData(HandshakeMessageType.ServerHello, HandshakeMessage.HelloLength)]
    [InlineData(HandshakeMessageType.ClientAuth, HandshakeMessage.ClientAuthLength)]
    [InlineData(HandshakeMessageType.ServerAccept, HandshakeMessage.ServerAcceptLength)]
    [InlineData(HandshakeMessageType.Reject, HandshakeMessage.RejectLength)]
    public void Server_refuses_anything_but_ClientHello_first_as_UnexpectedMessage(HandshakeMessageType type, int length)
    {
        using var server = Server();
        var step = server.OnData(HandshakeMessage.Frame(type, new byte[length]));
        Assert.Equal(HandshakeError.UnexpectedMessage, step.Error);
    }

    [Fact]
    public void Server_refuses_a_second_ClientHello_as_UnexpectedMessage()
    {
        using var client = Client();
        using var server = Server();
        var hello = client.Start();
        server.OnData(hello);
        Assert.Equal(HandshakeError.UnexpectedMessage, server.OnData(hello).Error);
    }

    [Theory]
    [InlineData(HandshakeMessageType.ClientHello, HandshakeMessage.HelloLength)]
    [InlineData(HandshakeMessageType.ClientAuth, HandshakeMessage.ClientAuthLength)]
    [InlineData(HandshakeMessageType.ServerAccept, HandshakeMessage.ServerAcceptLength)]
    public void Client_refuses_anything_but_ServerHello_or_Reject_first_as_UnexpectedMessage(HandshakeMessageType type, int length)
    {
        using var client = Client();
        client.Start();
        Assert.Equal(HandshakeError.UnexpectedMessage, client.OnData(HandshakeMessage.Frame(type, new byte[length])).Error);
    }

    [Fact]
    public void Client_refuses_a_second_ServerHello_as_UnexpectedMessage()
    {
        using var client = Client();
        var serverHello = ServerHelloFor(client, out _);
        client.OnData(serverHello);
        Assert.Equal(HandshakeError.UnexpectedMessage, client.OnData(serverHello).Error);
    }

    [Fact]
    public void Client_refuses_bytes_before_it_has_started_as_UnexpectedMessage()
    {
        using var client = Client();
        Assert.Equal(HandshakeError.UnexpectedMessage, client.OnData([1]).Error);
    }

    // ---- public keys ----

    [Fact]
    public void ClientHello_with_a_point_off_the_curve_is_refused_as_InvalidPublicKey()
    {
        using var client = Client();
        using var server = Server();
        var hello = client.Start();
        hello[HandshakeMessage.HeaderLength + 64] ^= 1; // last byte of Y
        Assert.Equal(HandshakeError.InvalidPublicKey, server.OnData(hello).Error);
    }

    [Theory]
    [InlineData(0x00, 0x00)] // all zero: not the uncompressed form, not a point
    [InlineData(0x04, 0x00)] // (0, 0) is not on P-256
    [InlineData(0x04, 0xFF)] // coordinates above the field prime
    [InlineData(0x02, 0x11)] // the compressed form is not allowed (and would be 33 bytes)
    public void ClientHello_with_a_key_that_is_no_uncompressed_P256_point_is_refused_as_InvalidPublicKey(byte prefix, byte fill)
    {
        using var server = Server();
        var body = new byte[HandshakeMessage.HelloLength];
        body.AsSpan(1, 64).Fill(fill);
        body[0] = prefix;
        Assert.Equal(HandshakeError.InvalidPublicKey, server.OnData(HandshakeMessage.Frame(HandshakeMessageType.ClientHello, body)).Error);
    }

    [Fact]
    public void ServerHello_with_a_point_off_the_curve_is_refused_as_InvalidPublicKey()
    {
        using var client = Client();
        var serverHello = ServerHelloFor(client, out _);
        serverHello[HandshakeMessage.HeaderLength + 10] ^= 0x40; // a byte of X
        Assert.Equal(HandshakeError.InvalidPublicKey, client.OnData(serverHello).Error);
    }

    // ---- ClientAuth contents ----

    [Fact]
    public void ClientAuth_with_random_bytes_for_a_body_is_refused_as_ClientAuthUndecryptable()
    {
        using var client = Client();
        using var server = Server();
        server.OnData(client.Start());
        var body = new byte[HandshakeMessage.ClientAuthLength];
        new TestRandom(3).Fill(body);
        Assert.Equal(HandshakeError.ClientAuthUndecryptable, server.OnData(HandshakeMessage.Frame(HandshakeMessageType.ClientAuth, body)).Error);
    }

    [Fact]
    public void ClientAuth_with_a_flipped_bit_is_refused_as_ClientAuthUndecryptable()
    {
        using var client = Client();
        using var server = Server();
        var auth = client.OnData(server.OnData(client.Start()).Reply!).Reply!;
        auth[10] ^= 1;
        Assert.Equal(HandshakeError.ClientAuthUndecryptable, server.OnData(auth).Error);
    }

    [Fact]
    public void ClientAuth_with_name_length_0_is_refused_as_Malformed()
    {
        Assert.Equal(HandshakeError.Malformed, ServerGetsCraftedAuth(CraftedClient.Identity(0, [])).Error);
    }

    [Theory]
    [InlineData(65)]
    [InlineData(68)]  // would reach to the end of the requested address
    [InlineData(100)]
    [InlineData(255)]
    public void ClientAuth_with_name_length_above_64_is_refused_as_Malformed(byte nameLength)
    {
        // The whole name field is name bytes, so no padding rule is broken: only the length is wrong.
        var name = Enumerable.Repeat((byte)'a', HandshakeMessage.MaxNameLength).ToArray();
        Assert.Equal(HandshakeError.Malformed, ServerGetsCraftedAuth(CraftedClient.Identity(nameLength, name)).Error);
    }

    [Theory]
    [InlineData(3, 0x01)] // every padding byte non-zero
    [InlineData(3, 0x20)] // space-padded
    [InlineData(63, 0x80)] // the single padding byte of a 63-byte name
    public void ClientAuth_with_non_zero_padding_is_refused_as_Malformed(byte nameLength, byte padding)
    {
        var name = "pc1"u8.ToArray().Concat(Enumerable.Repeat((byte)'x', nameLength - 3)).ToArray();
        Assert.Equal(HandshakeError.Malformed, ServerGetsCraftedAuth(CraftedClient.Identity(nameLength, name, padding)).Error);
    }

    [Theory]
    [InlineData(1 + 3)]  // the first byte after the name
    [InlineData(1 + 33)]
    [InlineData(1 + 63)] // the last byte of the name field
    public void ClientAuth_with_one_non_zero_padding_byte_is_refused_as_Malformed(int offset)
    {
        var plaintext = CraftedClient.Identity(3, "pc1"u8);
        Assert.Equal(HandshakeError.WrongKey, ServerGetsCraftedAuth(plaintext).Error); // clean padding: reaches the proof check
        plaintext[offset] = 0x01;
        Assert.Equal(HandshakeError.Malformed, ServerGetsCraftedAuth(plaintext).Error);
    }

    [Fact]
    public void ClientAuth_whose_name_length_cuts_a_configured_name_short_is_refused_as_Malformed()
    {
        // Length 2 with "pc1" in the field: the '1' is a non-zero padding byte, not part of the name.
        Assert.Equal(HandshakeError.Malformed, ServerGetsCraftedAuth(CraftedClient.Identity(2, "pc1"u8)).Error);
    }

    [Fact]
    public void ClientAuth_whose_name_length_takes_in_a_zero_byte_names_another_client()
    {
        // Length 4 over "pc1" and its zero padding is the well-formed name "pc1\0", which is not "pc1":
        // the length byte, not the padding, says where the name ends (and th2 covers it).
        var step = ServerGetsCraftedAuth(CraftedClient.Identity(4, "pc1"u8));
        Assert.Equal(HandshakeError.UnknownClient, step.Error);
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]       // a lead byte followed by no continuation byte
    [InlineData(new byte[] { 0xC0, 0xAF })]       // an overlong encoding of '/'
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // a UTF-16 surrogate (U+D800)
    [InlineData(new byte[] { 0x70, 0x63, 0xFF })] // a byte that never occurs in UTF-8
    [InlineData(new byte[] { 0xE2, 0x82 })]       // a sequence cut short by the name length
    public void ClientAuth_whose_name_is_not_utf8_is_refused_as_Malformed(byte[] name)
    {
        Assert.Equal(HandshakeError.Malformed, ServerGetsCraftedAuth(CraftedClient.Identity((byte)name.Length, name)).Error);
    }

    [Fact]
    public void ClientAuth_well_formed_but_with_a_forged_proof_is_refused_as_WrongKey()
    {
        Assert.Equal(HandshakeError.WrongKey, ServerGetsCraftedAuth(CraftedClient.Identity(3, "pc1"u8)).Error);
    }

    [Theory]
    [InlineData(0, HandshakeError.Malformed)]  // identity only, no proof
    [InlineData(31, HandshakeError.Malformed)] // a proof one byte short
    [InlineData(33, HandshakeError.Oversized)] // a proof one byte long
    public void ClientAuth_sealed_correctly_but_of_the_wrong_size_is_refused_at_the_header(int proofLength, HandshakeError expected)
    {
        Assert.Equal(expected, ServerGetsCraftedAuth(CraftedClient.Identity(3, "pc1"u8, proofLength: proofLength)).Error);
    }

    [Fact]
    public void ClientAuth_in_the_old_variable_size_layout_is_refused_as_Malformed()
    {
        // name length | "pc1" | address | proof, unpadded: a 56-byte body, legal before the size was fixed.
        byte[] plaintext = [3, .. "pc1"u8, 0, 0, 0, 0, .. Enumerable.Repeat((byte)0xAB, HandshakeMessage.ProofLength)];
        Assert.Equal(HandshakeError.Malformed, ServerGetsCraftedAuth(plaintext).Error);
    }

    [Fact]
    public void Every_ClientAuth_body_length_but_117_is_refused_by_the_header_alone()
    {
        Assert.Equal(117, HandshakeMessage.ClientAuthLength);
        for (var length = 0; length <= 0xFFFF; length++)
        {
            var reader = new HandshakeReader();
            ReadOnlySpan<byte> header = RawFrame((byte)HandshakeMessageType.ClientAuth, WireFormat.Version, length, []);
            var complete = reader.TryRead(ref header, out _, out _, out var error);
            Assert.False(complete);
            var expected = length < HandshakeMessage.ClientAuthLength ? HandshakeError.Malformed
                : length > HandshakeMessage.ClientAuthLength ? HandshakeError.Oversized
                : HandshakeError.None; // 117: the header is fine and the reader waits for the body
            Assert.True(expected == error, $"body length {length}: {error}, expected {expected}");
        }
    }

    [Theory]
    [InlineData(0, HandshakeError.Malformed)]
    [InlineData(53, HandshakeError.Malformed)]
    [InlineData(54, HandshakeError.Malformed)]  // the old minimum (1-byte name)
    [InlineData(56, HandshakeError.Malformed)]  // the old size for "pc1"
    [InlineData(116, HandshakeError.Malformed)]
    [InlineData(118, HandshakeError.Oversized)]
    [InlineData(121, HandshakeError.Oversized)]
    [InlineData(0xFFFF, HandshakeError.Oversized)]
    public void Server_awaiting_ClientAuth_refuses_a_body_length_other_than_117_before_the_body_arrives(int length, HandshakeError expected)
    {
        using var client = Client();
        using var server = Server();
        Assert.Equal(HandshakeStatus.InProgress, server.OnData(client.Start()).Status);
        var step = server.OnData(RawFrame((byte)HandshakeMessageType.ClientAuth, WireFormat.Version, length, []));
        Assert.Equal(HandshakeStatus.Failed, step.Status);
        Assert.Equal(expected, step.Error);
    }

    // ---- after the last message ----

    [Fact]
    public void Server_refuses_bytes_after_ClientAuth_in_the_same_read_as_UnexpectedMessage()
    {
        using var client = Client();
        using var server = Server();
        var auth = client.OnData(server.OnData(client.Start()).Reply!).Reply!;
        var step = server.OnData([.. auth, 0]);
        Assert.Equal(HandshakeError.UnexpectedMessage, step.Error);
        Assert.Null(server.ClientName);
    }

    [Fact]
    public void Server_refuses_bytes_after_authentication_and_then_grants_nothing()
    {
        using var client = Client();
        using var server = Server();
        var auth = client.OnData(server.OnData(client.Start()).Reply!).Reply!;
        Assert.Equal(HandshakeStatus.Authenticated, server.OnData(auth).Status);
        Assert.Equal(HandshakeError.UnexpectedMessage, server.OnData([0]).Error);
        Assert.Throws<InvalidOperationException>(() => server.Accept(Handshakes.Grant));
    }

    [Fact]
    public void Client_refuses_bytes_after_ServerAccept_in_the_same_read_as_UnexpectedMessage()
    {
        using var client = Client();
        using var server = Server();
        server.OnData(client.OnData(server.OnData(client.Start()).Reply!).Reply!);
        var (accept, session) = server.Accept(Handshakes.Grant);
        session.Dispose();
        var step = client.OnData([.. accept, 0]);
        Assert.Equal(HandshakeError.UnexpectedMessage, step.Error);
        Assert.Null(client.Grant);
    }

    [Fact]
    public void Client_refuses_bytes_after_it_is_established_as_UnexpectedMessage()
    {
        using var client = Client();
        using var server = Server();
        Assert.Equal(HandshakeStatus.Established, Handshakes.Run(client, server).Client.Status);
        Assert.Equal(HandshakeError.UnexpectedMessage, client.OnData([0]).Error);
    }

    // ---- rejects ----

    [Theory]
    [InlineData(RejectCode.AuthenticationFailed, HandshakeError.AuthenticationRejected)]
    [InlineData(RejectCode.UnsupportedVersion, HandshakeError.UnsupportedVersion)]
    [InlineData(RejectCode.Malformed, HandshakeError.Rejected)]
    [InlineData(RejectCode.NoAddressAvailable, HandshakeError.NoAddressAvailable)]
    [InlineData(RejectCode.NoPortAvailable, HandshakeError.NoPortAvailable)]
    [InlineData(RejectCode.Busy, HandshakeError.Busy)]
    [InlineData(RejectCode.Timeout, HandshakeError.Rejected)]
    [InlineData((RejectCode)0, HandshakeError.Rejected)]
    [InlineData((RejectCode)200, HandshakeError.Rejected)]
    public void Client_reports_a_Reject_by_its_code(RejectCode code, HandshakeError expected)
    {
        using var client = Client();
        client.Start();
        var step = client.OnData(ServerHandshake.RejectFrame(code));
        Assert.Equal(expected, step.Error);
        Assert.Equal(code, client.RejectCode);
    }

    [Theory]
    [InlineData(HandshakeError.UnknownClient, RejectCode.AuthenticationFailed)]
    [InlineData(HandshakeError.WrongKey, RejectCode.AuthenticationFailed)]
    [InlineData(HandshakeError.ClientAuthUndecryptable, RejectCode.AuthenticationFailed)]
    [InlineData(HandshakeError.UnsupportedVersion, RejectCode.UnsupportedVersion)]
    [InlineData(HandshakeError.Oversized, RejectCode.Malformed)]
    [InlineData(HandshakeError.InvalidPublicKey, RejectCode.Malformed)]
    [InlineData(HandshakeError.Timeout, RejectCode.Timeout)]
    [InlineData(HandshakeError.Busy, RejectCode.Busy)]
    public void Server_error_maps_to_the_reject_code_of_the_specification(HandshakeError error, RejectCode expected)
    {
        Assert.Equal(expected, ServerHandshake.RejectCodeFor(error));
    }

    // ---- fuzz ----

    [Fact]
    public void Random_bytes_fed_to_a_fresh_server_end_in_progress_or_a_named_error()
    {
        var random = new Random(20261124);
        for (var i = 0; i < 3000; i++)
        {
            using var server = Server(seed: i);
            var input = FuzzInput(random, i);
            var step = FeedInChunks(random, input, server.OnData);
            Assert.True(IsNamedOutcome(step), $"iteration {i}: {step}");
            Assert.True(Enum.IsDefined(server.OnClosed()), $"iteration {i}");
        }
    }

    [Fact]
    public void Random_bytes_fed_to_a_started_client_end_in_progress_or_a_named_error()
    {
        var random = new Random(77);
        for (var i = 0; i < 1000; i++)
        {
            using var client = Client(seed: i);
            client.Start();
            var step = FeedInChunks(random, FuzzInput(random, i), client.OnData);
            Assert.True(IsNamedOutcome(step), $"iteration {i}: {step}");
        }
    }

    [Fact]
    public void Random_ClientAuth_bodies_after_a_valid_ClientHello_end_in_a_named_error()
    {
        var random = new Random(5);
        using var crafted = new CraftedClient(seed: 9);
        for (var i = 0; i < 500; i++)
        {
            using var server = Server(seed: i);
            server.OnData(crafted.ClientHello);
            var body = new byte[HandshakeMessage.ClientAuthLength];
            random.NextBytes(body);
            var step = server.OnData(HandshakeMessage.Frame(HandshakeMessageType.ClientAuth, body));
            Assert.Equal(HandshakeError.ClientAuthUndecryptable, step.Error);
        }
    }

    private static bool IsNamedOutcome(HandshakeStep step) =>
        step.Status == HandshakeStatus.InProgress && step.Error == HandshakeError.None
        || step.Status == HandshakeStatus.Failed && step.Error != HandshakeError.None && Enum.IsDefined(step.Error);

    /// <summary>Pure noise, or noise behind a plausible header so the body checks are reached too.</summary>
    private static byte[] FuzzInput(Random random, int i)
    {
        var bytes = new byte[random.Next(0, 300)];
        random.NextBytes(bytes);
        if (i % 2 == 0 && bytes.Length >= 4)
        {
            bytes[0] = (byte)random.Next(0, 7);
            bytes[1] = WireFormat.Version;
            var length = bytes.Length - 4 + random.Next(-2, 3);
            bytes[2] = (byte)(length >> 8);
            bytes[3] = (byte)length;
        }
        if (i % 4 == 0 && bytes.Length >= 5)
            bytes[4] = 4; // an uncompressed-point prefix, so the curve check itself is fuzzed
        return bytes;
    }

    private static HandshakeStep FeedInChunks(Random random, byte[] input, Func<ReadOnlySpan<byte>, HandshakeStep> onData)
    {
        HandshakeStep step = new(HandshakeStatus.InProgress);
        var offset = 0;
        while (offset < input.Length && step.Status == HandshakeStatus.InProgress)
        {
            var take = Math.Min(random.Next(1, 120), input.Length - offset);
            step = onData(input.AsSpan(offset, take));
            offset += take;
        }
        return step;
    }
}

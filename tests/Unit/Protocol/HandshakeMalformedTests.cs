using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using static MyVpn.Tests.Unit.Support.HandshakeInputs;
using Xunit;

namespace MyVpn.Tests.Unit.Protocol;

/// <summary>Malformed handshake input, part 1: truncation, headers, order, trailing bytes, rejects and fuzz. Each ends in a named error, never an exception (docs/protocol.md §2, §7).</summary>
public sealed class HandshakeMalformedTests
{
    // ---- truncation: the connection closes mid-exchange ----

    [Fact]
    public void Server_whose_client_closes_before_any_byte_reports_ConnectionClosed()
    {
        using var server = NewServer();
        Assert.Equal(HandshakeError.ConnectionClosed, server.OnClosed());
    }

    [Fact]
    public void Server_whose_client_closes_mid_ClientHello_reports_Truncated()
    {
        using var client = NewClient();
        using var server = NewServer();
        var hello = client.Start();
        Assert.Equal(HandshakeStatus.InProgress, server.OnData(hello.AsSpan(0, hello.Length - 1)).Status);
        Assert.Equal(HandshakeError.Truncated, server.OnClosed());
    }

    [Fact]
    public void Server_whose_client_closes_mid_ClientAuth_header_reports_Truncated()
    {
        using var client = NewClient();
        using var server = NewServer();
        var auth = client.OnData(server.OnData(client.Start()).Reply!).Reply!;
        Assert.Equal(HandshakeStatus.InProgress, server.OnData(auth.AsSpan(0, 3)).Status);
        Assert.Equal(HandshakeError.Truncated, server.OnClosed());
    }

    [Fact]
    public void Server_whose_client_closes_after_an_authenticated_ClientAuth_reports_no_error()
    {
        using var client = NewClient();
        using var server = NewServer();
        var auth = client.OnData(server.OnData(client.Start()).Reply!).Reply!;
        Assert.Equal(HandshakeStatus.Authenticated, server.OnData(auth).Status);
        Assert.Equal(HandshakeError.None, server.OnClosed());
    }

    [Fact]
    public void Client_whose_server_closes_mid_ServerHello_reports_Truncated()
    {
        using var client = NewClient();
        var serverHello = ServerHelloFor(client, out _);
        Assert.Equal(HandshakeStatus.InProgress, client.OnData(serverHello.AsSpan(0, 60)).Status);
        Assert.Equal(HandshakeError.Truncated, client.OnClosed());
    }

    [Fact]
    public void Client_whose_server_closes_before_ServerAccept_reports_ConnectionClosed()
    {
        using var client = NewClient();
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
        using var server = NewServer();
        var step = server.OnData(RawFrame((byte)type, WireFormat.Version, length, []));
        Assert.Equal(HandshakeStatus.Failed, step.Status);
        Assert.Equal(HandshakeError.Oversized, step.Error);
    }

    [Theory]
    [InlineData(HandshakeMessageType.ServerHello, HandshakeMessage.HelloLength + 1)]
    [InlineData(HandshakeMessageType.ServerAccept, HandshakeMessage.MaxServerAcceptLength + 1)]
    [InlineData(HandshakeMessageType.Reject, HandshakeMessage.RejectLength + 1)]
    public void Client_refuses_an_oversized_length_as_Oversized_before_the_body_arrives(HandshakeMessageType type, int length)
    {
        using var client = NewClient();
        client.Start();
        Assert.Equal(HandshakeError.Oversized, client.OnData(RawFrame((byte)type, WireFormat.Version, length, [])).Error);
    }

    [Theory]
    [InlineData(HandshakeMessageType.ClientHello, HandshakeMessage.HelloLength - 1)]
    [InlineData(HandshakeMessageType.ClientHello, 0)]
    [InlineData(HandshakeMessageType.ClientAuth, HandshakeMessage.ClientAuthLength - 1)]
    public void Server_refuses_a_length_below_the_minimum_as_Malformed(HandshakeMessageType type, int length)
    {
        using var server = NewServer();
        Assert.Equal(HandshakeError.Malformed, server.OnData(RawFrame((byte)type, WireFormat.Version, length, [])).Error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(0x16)] // a TLS record, someone pointed a browser at the port
    [InlineData(0xFF)]
    public void Unknown_message_type_is_refused_as_UnknownMessageType(byte type)
    {
        using var server = NewServer();
        Assert.Equal(HandshakeError.UnknownMessageType, server.OnData(RawFrame(type, WireFormat.Version, 1, [0])).Error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(0xFF)]
    public void Other_protocol_version_is_refused_as_UnsupportedVersion(byte version)
    {
        using var server = NewServer();
        using var client = NewClient();
        var hello = client.Start();
        hello[1] = version;
        Assert.Equal(HandshakeError.UnsupportedVersion, server.OnData(hello).Error);
    }

    [Fact]
    public void Http_request_on_the_handshake_port_is_refused_without_an_exception()
    {
        using var server = NewServer();
        var step = server.OnData("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8);
        Assert.Equal(HandshakeStatus.Failed, step.Status);
        Assert.Equal(HandshakeError.UnknownMessageType, step.Error); // 'G' (0x47) is no message type
    }

    [Fact]
    public void Header_with_an_unknown_type_and_another_version_is_refused_for_its_type_first()
    {
        using var server = NewServer();
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
        using var server = NewServer();
        var step = server.OnData(HandshakeMessage.Frame(type, new byte[length]));
        Assert.Equal(HandshakeError.UnexpectedMessage, step.Error);
    }

    [Fact]
    public void Server_refuses_a_second_ClientHello_as_UnexpectedMessage()
    {
        using var client = NewClient();
        using var server = NewServer();
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
        using var client = NewClient();
        client.Start();
        Assert.Equal(HandshakeError.UnexpectedMessage, client.OnData(HandshakeMessage.Frame(type, new byte[length])).Error);
    }

    [Fact]
    public void Client_refuses_a_second_ServerHello_as_UnexpectedMessage()
    {
        using var client = NewClient();
        var serverHello = ServerHelloFor(client, out _);
        client.OnData(serverHello);
        Assert.Equal(HandshakeError.UnexpectedMessage, client.OnData(serverHello).Error);
    }

    [Fact]
    public void Client_refuses_bytes_before_it_has_started_as_UnexpectedMessage()
    {
        using var client = NewClient();
        Assert.Equal(HandshakeError.UnexpectedMessage, client.OnData([1]).Error);
    }

    // ---- after the last message ----

    [Fact]
    public void Server_refuses_bytes_after_ClientAuth_in_the_same_read_as_UnexpectedMessage()
    {
        using var client = NewClient();
        using var server = NewServer();
        var auth = client.OnData(server.OnData(client.Start()).Reply!).Reply!;
        var step = server.OnData([.. auth, 0]);
        Assert.Equal(HandshakeError.UnexpectedMessage, step.Error);
        Assert.Null(server.ClientName);
    }

    [Fact]
    public void Server_refuses_bytes_after_authentication_and_then_grants_nothing()
    {
        using var client = NewClient();
        using var server = NewServer();
        var auth = client.OnData(server.OnData(client.Start()).Reply!).Reply!;
        Assert.Equal(HandshakeStatus.Authenticated, server.OnData(auth).Status);
        Assert.Equal(HandshakeError.UnexpectedMessage, server.OnData([0]).Error);
        Assert.Throws<InvalidOperationException>(() => server.Accept(Handshakes.Grant, PureChannel.Create));
    }

    [Fact]
    public void Client_refuses_bytes_after_ServerAccept_in_the_same_read_as_UnexpectedMessage()
    {
        using var client = NewClient();
        using var server = NewServer();
        server.OnData(client.OnData(server.OnData(client.Start()).Reply!).Reply!);
        var (accept, session) = server.Accept(Handshakes.Grant, PureChannel.Create);
        session.Dispose();
        var step = client.OnData([.. accept, 0]);
        Assert.Equal(HandshakeError.UnexpectedMessage, step.Error);
        Assert.Null(client.Grant);
    }

    [Fact]
    public void Client_refuses_bytes_after_it_is_established_as_UnexpectedMessage()
    {
        using var client = NewClient();
        using var server = NewServer();
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
        using var client = NewClient();
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
            using var server = NewServer(seed: i);
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
            using var client = NewClient(seed: i);
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
            using var server = NewServer(seed: i);
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

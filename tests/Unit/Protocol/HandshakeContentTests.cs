using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using static MyVpn.Tests.Unit.Support.HandshakeInputs;
using Xunit;

namespace MyVpn.Tests.Unit.Protocol;

/// <summary>Malformed handshake input, part 2: bad public keys and the contents of ClientAuth. Each ends in a named error, never an exception (docs/protocol.md §2, §7).</summary>
public sealed class HandshakeContentTests
{
    // ---- public keys ----

    [Fact]
    public void ClientHello_with_a_point_off_the_curve_is_refused_as_InvalidPublicKey()
    {
        using var client = NewClient();
        using var server = NewServer();
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
        using var server = NewServer();
        var body = new byte[HandshakeMessage.HelloLength];
        body.AsSpan(1, 64).Fill(fill);
        body[0] = prefix;
        Assert.Equal(HandshakeError.InvalidPublicKey, server.OnData(HandshakeMessage.Frame(HandshakeMessageType.ClientHello, body)).Error);
    }

    [Fact]
    public void ServerHello_with_a_point_off_the_curve_is_refused_as_InvalidPublicKey()
    {
        using var client = NewClient();
        var serverHello = ServerHelloFor(client, out _);
        serverHello[HandshakeMessage.HeaderLength + 10] ^= 0x40; // a byte of X
        Assert.Equal(HandshakeError.InvalidPublicKey, client.OnData(serverHello).Error);
    }

    // ---- ClientAuth contents ----

    [Fact]
    public void ClientAuth_with_random_bytes_for_a_body_is_refused_as_ClientAuthUndecryptable()
    {
        using var client = NewClient();
        using var server = NewServer();
        server.OnData(client.Start());
        var body = new byte[HandshakeMessage.ClientAuthLength];
        new TestRandom(3).Fill(body);
        Assert.Equal(HandshakeError.ClientAuthUndecryptable, server.OnData(HandshakeMessage.Frame(HandshakeMessageType.ClientAuth, body)).Error);
    }

    [Fact]
    public void ClientAuth_with_a_flipped_bit_is_refused_as_ClientAuthUndecryptable()
    {
        using var client = NewClient();
        using var server = NewServer();
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
        using var client = NewClient();
        using var server = NewServer();
        Assert.Equal(HandshakeStatus.InProgress, server.OnData(client.Start()).Status);
        var step = server.OnData(RawFrame((byte)HandshakeMessageType.ClientAuth, WireFormat.Version, length, []));
        Assert.Equal(HandshakeStatus.Failed, step.Status);
        Assert.Equal(expected, step.Error);
    }

}

using System.Security.Cryptography;
using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Protocol;

/// <summary>
/// Which secrets a handshake still holds between its steps, and that every way it can end early (a
/// Reject, Dispose, a random source with no valid scalar) wipes them: seen through a <see cref="SecretTracker"/>.
/// </summary>
public sealed class HandshakeSecretLifetimeTests
{
    private static (ClientHandshake Client, SecretTracker Secrets) Client()
    {
        var client = new ClientHandshake("pc1", Handshakes.Key(1), default, new TestRandom(1));
        var secrets = new SecretTracker();
        client.Secrets = secrets;
        return (client, secrets);
    }

    private static string[] Held(SecretTracker secrets) => [.. secrets.NotWiped.Order()];

    [Fact]
    public void Client_after_ServerHello_holds_only_the_psk_copy_and_hs()
    {
        var (client, secrets) = Client();
        using var server = new ServerHandshake(Handshakes.Keys(), new TestRandom(100));
        Assert.Equal(["psk copy"], Held(secrets));
        var clientHello = client.Start();
        Assert.Equal(["ephemeral scalar", "psk copy"], Held(secrets));

        client.OnData(server.OnData(clientHello).Reply!);

        // The ephemeral private key's one use is done; hs and the PSK wait for k_accept.
        Assert.Equal(["hs", "psk copy"], Held(secrets));
        client.Dispose();
        Assert.Empty(secrets.NotWiped);
    }

    [Fact]
    public void Client_established_holds_both_data_keys_until_Dispose_even_without_a_session()
    {
        var (client, secrets) = Client();
        using var server = new ServerHandshake(Handshakes.Keys(), new TestRandom(100));
        Assert.Equal(HandshakeStatus.Established, Handshakes.Run(client, server).Client.Status);
        Assert.Equal(["data key", "data key"], Held(secrets));

        client.Dispose();

        Assert.Empty(secrets.NotWiped);
    }

    [Fact]
    public void Client_rejected_before_ServerHello_wipes_its_ephemeral_key_and_psk_copy()
    {
        var (client, secrets) = Client();
        client.Start();

        Assert.Equal(HandshakeError.Busy, client.OnData(ServerHandshake.RejectFrame(RejectCode.Busy)).Error);

        Assert.Empty(secrets.NotWiped);
        Assert.Contains("ephemeral scalar", secrets.Names);
    }

    [Fact]
    public void Client_disposed_before_ServerHello_wipes_its_ephemeral_key_and_psk_copy()
    {
        var (client, secrets) = Client();
        client.Start();

        client.Dispose();

        Assert.Empty(secrets.NotWiped);
        Assert.Contains("ephemeral scalar", secrets.Names);
    }

    [Fact]
    public void Server_holds_no_ephemeral_key_after_ServerHello_only_hs()
    {
        using var client = new ClientHandshake("pc1", Handshakes.Key(1), default, new TestRandom(1));
        using var server = new ServerHandshake(Handshakes.Keys(), new TestRandom(100));
        var secrets = new SecretTracker();
        server.Secrets = secrets;

        Assert.Equal(HandshakeStatus.InProgress, server.OnData(client.Start()).Status);

        Assert.Equal(["hs"], Held(secrets));
        Assert.Contains("ephemeral scalar", secrets.Names);
        Assert.Contains("ecdh", secrets.Names);
    }

    [Fact]
    public void Server_refusing_a_ClientHello_key_wipes_its_ephemeral_key()
    {
        using var server = new ServerHandshake(Handshakes.Keys(), new TestRandom(100));
        var secrets = new SecretTracker();
        server.Secrets = secrets;
        var offCurve = new byte[HandshakeMessage.HelloLength];
        offCurve[0] = 4;

        Assert.Equal(HandshakeError.InvalidPublicKey, server.OnData(HandshakeMessage.Frame(HandshakeMessageType.ClientHello, offCurve)).Error);

        Assert.Equal(["ephemeral scalar"], secrets.Names);
        Assert.Empty(secrets.NotWiped);
    }

    /// <summary>Fills with 0xFF: above the group order, so never a valid scalar, and not zero, so a wipe shows.</summary>
    private sealed class AllOnes : IRandomSource
    {
        public void Fill(Span<byte> destination) => destination.Fill(0xFF);
    }

    [Fact]
    public void Random_source_with_no_valid_scalar_leaves_the_last_draw_wiped()
    {
        var secrets = new SecretTracker();

        Assert.Throws<CryptographicException>(() => EphemeralKey.Generate(new AllOnes(), null, secrets));

        Assert.Equal(["ephemeral scalar"], secrets.Names);
        Assert.Empty(secrets.NotWiped);
    }

    [Fact]
    public void Bytes_that_are_no_utf8_are_refused_not_read_as_the_replacement_character()
    {
        // A lossy decoder would read 70 63 FF as "pc\uFFFD" and look that name up.
        var asked = new List<string>();
        using var server = new ServerHandshake(name =>
        {
            asked.Add(name);
            return Handshakes.Key(1);
        }, new TestRandom(100));
        using var crafted = new CraftedClient(7);
        var serverHello = server.OnData(crafted.ClientHello).Reply!;

        var step = server.OnData(crafted.ClientAuth(serverHello, CraftedClient.Identity(3, [0x70, 0x63, 0xFF])));

        Assert.Equal(HandshakeError.Malformed, step.Error);
        Assert.Empty(asked);
        Assert.Null(server.ClaimedName);
    }
}

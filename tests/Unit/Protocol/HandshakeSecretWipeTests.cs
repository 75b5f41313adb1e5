using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Protocol;

/// <summary>
/// Every secret buffer a handshake makes (seen through its <see cref="SecretTracker"/>) is zero once
/// the step that needed it is done: the ECDH secret, hs, auth, k_id, k_proof, k_accept, the identity
/// plaintext, the proof, the PSK copy, the grant and the data keys.
/// </summary>
public sealed class HandshakeSecretWipeTests
{
    private static readonly byte[] Psk = Handshakes.Key(1);

    private static (ClientHandshake Client, SecretTracker ClientSecrets, ServerHandshake Server, SecretTracker ServerSecrets) Pair(
        string name = "pc1", byte fill = 1)
    {
        var client = new ClientHandshake(name, Handshakes.Key(fill), default, new TestRandom(1));
        var server = new ServerHandshake(Handshakes.Keys(), new TestRandom(100));
        var clientSecrets = new SecretTracker();
        var serverSecrets = new SecretTracker();
        client.Secrets = clientSecrets;
        server.Secrets = serverSecrets;
        return (client, clientSecrets, server, serverSecrets);
    }

    [Fact]
    public void After_a_successful_handshake_every_secret_buffer_on_both_sides_is_zero()
    {
        var (client, clientSecrets, server, serverSecrets) = Pair();
        var auth = client.OnData(server.OnData(client.Start()).Reply!).Reply!;
        Assert.Equal(HandshakeStatus.Authenticated, server.OnData(auth).Status);
        // Authenticated: hs and the identity are gone already; only k_accept waits for Accept.
        Assert.Equal(["k_accept"], serverSecrets.NotWiped.Distinct());
        var (accept, serverSession) = server.Accept(Handshakes.Grant, PureChannel.Create);
        Assert.Equal(HandshakeStatus.Established, client.OnData(accept).Status);
        // Established: the client still holds the data keys for CreateSession, and nothing else.
        Assert.Equal(["data key"], clientSecrets.NotWiped.Distinct());
        using var clientSession = client.CreateSession(PureChannel.Create);

        Assert.Empty(serverSecrets.NotWiped);
        Assert.Empty(clientSecrets.NotWiped);
        Assert.Superset(new HashSet<string> { "ephemeral scalar", "ecdh", "hs", "k_id", "identity", "auth", "k_proof", "expected proof", "k_accept", "grant", "data keys" },
            serverSecrets.Names.ToHashSet());
        Assert.Superset(new HashSet<string> { "psk copy", "ephemeral scalar", "ecdh", "hs", "k_id", "identity", "identity | proof", "auth", "k_proof", "proof", "k_accept", "grant", "data key" },
            clientSecrets.Names.ToHashSet());

        // The session still works: wiping the copies did not wipe what the session uses.
        var buffer = new byte[64];
        "hello"u8.CopyTo(buffer.AsSpan(16));
        Assert.True(clientSession.TrySeal(buffer, 5, out var length));
        Assert.True(serverSession.TryOpen(buffer.AsSpan(0, length), out var plain, out _));
        Assert.Equal("hello"u8.ToArray(), buffer.AsSpan(16, plain).ToArray());
        serverSession.Dispose();
        client.Dispose();
        server.Dispose();
    }

    [Fact]
    public void Client_keeps_the_psk_copy_only_while_the_handshake_runs()
    {
        var (client, clientSecrets, server, _) = Pair();
        client.OnData(server.OnData(client.Start()).Reply!);
        Assert.Contains("psk copy", clientSecrets.NotWiped); // needed for k_accept

        client.OnData(ServerHandshake.RejectFrame(RejectCode.Busy));

        Assert.Empty(clientSecrets.NotWiped);
        Assert.Equal(Handshakes.Key(1), Psk); // the caller's key is the caller's: not touched
    }

    [Theory]
    [InlineData("pc1", (byte)9)]   // wrong key
    [InlineData("mallory", (byte)1)] // unknown name
    public void Refused_client_leaves_no_secret_on_the_server(string name, byte fill)
    {
        var (client, _, server, serverSecrets) = Pair(name, fill);
        var auth = client.OnData(server.OnData(client.Start()).Reply!).Reply!;

        Assert.Equal(HandshakeStatus.Failed, server.OnData(auth).Status);

        Assert.Empty(serverSecrets.NotWiped);
        Assert.Contains("expected proof", serverSecrets.Names);
        Assert.Equal(Handshakes.Keys()["pc1"], Handshakes.Key(1));
    }

    [Fact]
    public void Abandoned_handshakes_wipe_what_they_hold_on_Dispose()
    {
        var (client, clientSecrets, server, serverSecrets) = Pair();
        var auth = client.OnData(server.OnData(client.Start()).Reply!).Reply!;
        server.OnData(auth);
        Assert.NotEmpty(serverSecrets.NotWiped);
        Assert.NotEmpty(clientSecrets.NotWiped);

        server.Dispose();
        client.Dispose();

        Assert.Empty(serverSecrets.NotWiped);
        Assert.Empty(clientSecrets.NotWiped);
    }

    [Fact]
    public void Server_never_touches_the_configured_keys()
    {
        var keys = Handshakes.Keys();
        var client = new ClientHandshake("pc1", Handshakes.Key(1), default, new TestRandom(1));
        using var server = new ServerHandshake(keys, new TestRandom(100));

        Handshakes.Run(client, server);
        server.Dispose();

        Assert.Equal(Handshakes.Key(1), keys["pc1"]);
    }

    [Fact]
    public void Session_can_be_created_only_once_because_its_keys_are_wiped()
    {
        var (client, _, server, _) = Pair();
        var (clientStep, _) = Handshakes.Run(client, server);
        Assert.Equal(HandshakeStatus.Established, clientStep.Status);
        using var session = client.CreateSession(PureChannel.Create);

        Assert.Throws<InvalidOperationException>(() => client.CreateSession(PureChannel.Create));
    }

    [Fact]
    public void Accept_after_a_failed_accept_does_not_seal_under_a_wiped_key()
    {
        var (client, _, server, _) = Pair();
        server.OnData(client.OnData(server.OnData(client.Start()).Reply!).Reply!);
        var (_, session) = server.Accept(Handshakes.Grant, PureChannel.Create);
        session.Dispose();

        Assert.Throws<InvalidOperationException>(() => server.Accept(Handshakes.Grant, PureChannel.Create));
    }

    [Fact]
    public void Key_schedule_wipes_hs_on_Dispose()
    {
        var schedule = new KeySchedule(Handshakes.Key(5), new byte[10], new byte[10]);
        Assert.True(schedule.HandshakeSecret.ContainsAnyExcept((byte)0));

        schedule.Dispose();

        Assert.False(schedule.HandshakeSecret.ContainsAnyExcept((byte)0));
    }
}

using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Protocol;

/// <summary>The reasoning of docs/protocol.md §9, each step as a check (docs/security.md lists them).</summary>
public sealed class HandshakeSecurityTests
{
    private sealed record Recording(byte[] ClientHello, byte[] ServerHello, byte[] ClientAuth, byte[] ServerAccept, byte[] SharedSecret);

    /// <summary>A complete handshake by a crafted client (so the test knows the ECDH secret) and a real server.</summary>
    private static Recording Record()
    {
        using var client = new ClientHandshake("pc1", Handshakes.Key(1), default, new TestRandom(11));
        using var server = new ServerHandshake(Handshakes.Keys(), new TestRandom(12));
        var clientHello = client.Start();
        var serverHello = server.OnData(clientHello).Reply!;
        var clientAuth = client.OnData(serverHello).Reply!;
        Assert.Equal(HandshakeStatus.Authenticated, server.OnData(clientAuth).Status);
        var (serverAccept, session) = server.Accept(Handshakes.Grant, PureChannel.Create);
        session.Dispose();
        // The client's scalar is TestRandom(11)'s first 32 bytes, so an EphemeralKey from the same seed agrees identically.
        using var sameKey = EphemeralKey.Generate(new TestRandom(11));
        Assert.True(sameKey.TryAgree(serverHello.AsSpan(4, HandshakeMessage.PublicKeyLength), out var shared));
        return new Recording(clientHello, serverHello, clientAuth, serverAccept, shared);
    }

    private static bool AcceptOpens(Recording r, byte[] sharedSecret, byte[] psk)
    {
        var schedule = new KeySchedule(sharedSecret, r.ClientHello, r.ServerHello);
        // name length 3 | "pc1" zero-padded to 64 bytes | requested address 0.0.0.0: always 69 bytes.
        var identity = new byte[HandshakeMessage.IdentityLength];
        identity[0] = 3;
        "pc1"u8.CopyTo(identity.AsSpan(1));
        schedule.AddIdentity(identity);
        schedule.AddClientAuth(r.ClientAuth);
        return KeySchedule.TryOpen(schedule.AcceptKey(psk), r.ServerAccept.AsSpan(4), schedule.Transcript, out _);
    }

    [Fact]
    public void ServerAccept_opens_with_the_ecdh_secret_and_the_psk_together()
    {
        var r = Record();
        Assert.True(AcceptOpens(r, r.SharedSecret, Handshakes.Key(1)));
    }

    [Fact]
    public void Recorded_ServerAccept_does_not_open_with_the_psk_alone()
    {
        // Forward secrecy: someone who later steals the PSK still lacks the ephemeral ECDH secret.
        var r = Record();
        var guessedSecret = r.SharedSecret.ToArray();
        guessedSecret[0] ^= 1;
        Assert.False(AcceptOpens(r, guessedSecret, Handshakes.Key(1)));
        Assert.False(AcceptOpens(r, new byte[32], Handshakes.Key(1)));
    }

    [Fact]
    public void ServerAccept_does_not_open_with_the_ecdh_secret_alone()
    {
        // Server authentication: a man in the middle holds the ECDH secret but not the PSK.
        var r = Record();
        Assert.False(AcceptOpens(r, r.SharedSecret, Handshakes.Key(2)));
    }

    [Fact]
    public void Active_attacker_posing_as_the_server_learns_the_client_name_but_gets_no_session()
    {
        using var client = new ClientHandshake("pc1", Handshakes.Key(1), IPv4Address.Parse("10.0.0.9"), new TestRandom(1));
        using var impostor = new ServerHandshake(new Dictionary<string, byte[]>(), new TestRandom(66));
        var clientAuth = client.OnData(impostor.OnData(client.Start()).Reply!).Reply!;
        var step = impostor.OnData(clientAuth);
        Assert.Equal(HandshakeError.UnknownClient, step.Error);
        Assert.Equal("pc1", impostor.ClaimedName); // the identity is hidden from passive observers only
        Assert.Null(impostor.ClientName);
    }

    [Fact]
    public void Packet_of_an_earlier_session_does_not_open_in_a_new_session_with_the_same_grant()
    {
        using var server = new ServerHandshake(Handshakes.Keys(), new TestRandom(21));
        using var client = new ClientHandshake("pc1", Handshakes.Key(1), default, new TestRandom(22));
        Handshakes.Run(client, server);
        using var oldSession = client.CreateSession(PureChannel.Create);
        using var server2 = new ServerHandshake(Handshakes.Keys(), new TestRandom(23));
        using var client2 = new ClientHandshake("pc1", Handshakes.Key(1), default, new TestRandom(24));
        server2.OnData(client2.OnData(server2.OnData(client2.Start()).Reply!).Reply!);
        var (accept, newServerSession) = server2.Accept(Handshakes.Grant, PureChannel.Create);
        Assert.Equal(HandshakeStatus.Established, client2.OnData(accept).Status);

        var datagram = DataVector.Seal(oldSession.Sealer, "old"u8);
        Assert.False(newServerSession.TryOpen(datagram, out _, out var reason));
        Assert.Equal(DropReason.AuthenticationFailed, reason); // same session id and counter: only the fresh keys tell them apart
        newServerSession.Dispose();
    }

    [Fact]
    public void Handshake_keys_never_appear_on_the_wire()
    {
        var r = Record();
        byte[] wire = [.. r.ClientHello, .. r.ServerHello, .. r.ClientAuth, .. r.ServerAccept];
        var serverRandom = new byte[128];
        new TestRandom(12).Fill(serverRandom); // scalar | nonce | client-to-server key | server-to-client key
        Assert.Equal(-1, wire.AsSpan().IndexOf(serverRandom.AsSpan(64, 32)));
        Assert.Equal(-1, wire.AsSpan().IndexOf(serverRandom.AsSpan(96, 32)));
        Assert.Equal(-1, wire.AsSpan().IndexOf(r.SharedSecret));
        Assert.Equal(-1, wire.AsSpan().IndexOf(Handshakes.Key(1)));
    }

    [Fact]
    public void Server_seals_ServerAccept_only_once()
    {
        // k_accept encrypts with a zero nonce: a second grant under it would reuse the nonce.
        using var client = new ClientHandshake("pc1", Handshakes.Key(1), default, new TestRandom(31));
        using var server = new ServerHandshake(Handshakes.Keys(), new TestRandom(32));
        server.OnData(client.OnData(server.OnData(client.Start()).Reply!).Reply!);
        var (_, session) = server.Accept(Handshakes.Grant, PureChannel.Create);
        session.Dispose();
        Assert.Throws<InvalidOperationException>(() => server.Accept(Handshakes.Grant, PureChannel.Create));
    }
}

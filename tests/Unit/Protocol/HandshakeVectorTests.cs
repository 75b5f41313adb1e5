using System.Security.Cryptography;
using MyVpn.Crypto;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Protocol;

/// <summary>
/// The handshake test vector of docs/protocol.md §8: client "pc1" (key 01×32, TestRandom seed 1,
/// asking for 10.0.0.7) and a server (TestRandom seed 100) granting <see cref="Handshakes.Grant"/>.
/// The wire bytes are pinned, and the key schedule is re-derived here from the specification with
/// bare primitives (not <see cref="KeySchedule"/>) and checked value by value. The same values were
/// reproduced independently with Python's <c>cryptography</c> (the script is in docs/protocol.md).
/// Both sides run once with each crypto provider (<see cref="WithOpenSsl"/>, <see cref="WithDotNet"/>).
/// </summary>
public abstract class HandshakeVectorTests(ICryptoProvider crypto)
{
    public sealed class WithOpenSsl() : HandshakeVectorTests(CryptoProviders.OpenSsl);

    public sealed class WithDotNet() : HandshakeVectorTests(CryptoProviders.DotNet);

    private const string WireSha256 = "bc1bc00cee731785703bf70330dbbb15b8166621ddb77ca5224dff3e62559171";

    private sealed record Recording(byte[] ClientHello, byte[] ServerHello, byte[] ClientAuth, byte[] ServerAccept);

    private Recording Record()
    {
        using var client = new ClientHandshake("pc1", Handshakes.Key(1), IPv4Address.Parse("10.0.0.7"), new TestRandom(1)) { Crypto = crypto };
        using var server = new ServerHandshake(Handshakes.Keys(), new TestRandom(100)) { Crypto = crypto };
        var clientHello = client.Start();
        var serverHello = server.OnData(clientHello).Reply!;
        var clientAuth = client.OnData(serverHello).Reply!;
        Assert.Equal(HandshakeStatus.Authenticated, server.OnData(clientAuth).Status);
        var (serverAccept, session) = server.Accept(Handshakes.Grant, PureChannel.Factory(crypto));
        session.Dispose();
        Assert.Equal(HandshakeStatus.Established, client.OnData(serverAccept).Status);
        return new Recording(clientHello, serverHello, clientAuth, serverAccept);
    }

    private static byte[] Hex(string hex) => Convert.FromHexString(hex);

    /// <summary>The identity fields of docs/protocol.md §2.3: 3 | "pc1" zero-padded to 64 bytes | 10.0.0.7 (69 bytes).</summary>
    private static readonly byte[] PinnedIdentity = Hex("03" + "706331" + new string('0', 2 * 61) + "0a000007");

    /// <summary>The ClientAuth frame as docs/protocol.md Appendix A computes it.</summary>
    private const string PinnedClientAuth =
        "03010075a5d75a3c8024605f68b2cbcc8696b5604484428ef5cd52812bbc8a7da3b703fdcdc6cfd66bef05adb6dd2d66b2240499a706e5" +
        "f754e73e36a34de3eeef83b8a207f02336a517ccbb7fb16bfbf342dea59c3764a5d5772265c7b7f09a7399a7e89b7a60796c7fd4fba378" +
        "4b1b37ff84eb63e953bb0b";

    private static byte[] Sha256(params byte[][] parts) => SHA256.HashData(parts.SelectMany(p => p).ToArray());

    private static byte[] Expand(byte[] prk, string label, byte[] context) =>
        HKDF.Expand(HashAlgorithmName.SHA256, prk, 32, [.. System.Text.Encoding.ASCII.GetBytes(label), .. context]);

    private static byte[] OpenZeroNonce(byte[] key, ReadOnlySpan<byte> body, byte[] associatedData)
    {
        using var aes = new AesGcm(key, 16);
        var plaintext = new byte[body.Length - 16];
        aes.Decrypt(new byte[12], body[..^16], body[^16..], plaintext, associatedData);
        return plaintext;
    }

    /// <summary>The ECDH secret from the client's side: its scalar is TestRandom(1)'s first 32 bytes.</summary>
    private static byte[] SharedSecret(Recording r, out byte[] clientPublicKey)
    {
        var scalar = new byte[32];
        new TestRandom(1).Fill(scalar);
        using var mine = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = scalar });
        var q = mine.ExportParameters(false).Q;
        clientPublicKey = [4, .. q.X!, .. q.Y!];
        using var peer = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = r.ServerHello[5..37], Y = r.ServerHello[37..69] },
        });
        return mine.DeriveRawSecretAgreement(peer.PublicKey);
    }

    [Fact]
    public void Seeded_handshake_wire_bytes_hash_to_the_pinned_SHA256()
    {
        var r = Record();
        Assert.Equal(WireSha256, Convert.ToHexStringLower(Sha256(r.ClientHello, r.ServerHello, r.ClientAuth, r.ServerAccept)));
    }

    [Fact]
    public void Seeded_handshake_frames_have_the_specified_headers_and_lengths()
    {
        var r = Record();
        Assert.Equal(Hex("01010061"), r.ClientHello[..4]);
        Assert.Equal(Hex("02010061"), r.ServerHello[..4]);
        Assert.Equal(Hex("03010075"), r.ClientAuth[..4]); // 1 + 64 + 4 + 32 + 16 = 117, whatever the name's length
        Assert.Equal(Hex("04010063"), r.ServerAccept[..4]);
        Assert.Equal([101, 101, 121, 103], new[] { r.ClientHello.Length, r.ServerHello.Length, r.ClientAuth.Length, r.ServerAccept.Length });
    }

    [Fact]
    public void Seeded_ClientAuth_is_the_pinned_fixed_size_frame()
    {
        var r = Record();
        Assert.Equal(PinnedClientAuth, Convert.ToHexStringLower(r.ClientAuth));
    }

    [Fact]
    public void ClientHello_carries_the_public_key_of_the_seeded_scalar_and_the_next_32_random_bytes()
    {
        var r = Record();
        SharedSecret(r, out var clientPublicKey);
        var random = new byte[64];
        new TestRandom(1).Fill(random);
        Assert.Equal(clientPublicKey, r.ClientHello[4..69]);
        Assert.Equal(random[32..], r.ClientHello[69..]);
    }

    [Fact]
    public void Key_schedule_rederived_from_the_specification_matches_the_pinned_values()
    {
        var r = Record();
        var shared = SharedSecret(r, out _);
        var hs = HKDF.Extract(HashAlgorithmName.SHA256, shared, "myvpn v1 handshake"u8.ToArray());
        var th1 = Sha256(r.ClientHello, r.ServerHello);
        var kId = Expand(hs, "myvpn v1 identity", th1);
        var identity = PinnedIdentity;
        Assert.Equal(69, identity.Length);
        var th2 = Sha256(th1, identity);
        var auth = HKDF.Extract(HashAlgorithmName.SHA256, Handshakes.Key(1), hs);
        var kProof = Expand(auth, "myvpn v1 client proof", []);
        var proof = HMACSHA256.HashData(kProof, th2);
        var th3 = Sha256(th2, r.ClientAuth);
        var kAccept = Expand(auth, "myvpn v1 server accept", th3);

        Assert.Equal("99700a3ecd2a96305306806c359b6eb7cd1797f28801fb607b62c87c39798dd2", Convert.ToHexStringLower(shared));
        Assert.Equal("0bc3656a3be7c3e4c10d1f90def4ae518d398640a9c64493ee0e4e71710c7bcc", Convert.ToHexStringLower(hs));
        Assert.Equal("513d67254a27c2c6d44a062744e1cebcf156abfcee6ebea602322298ea286539", Convert.ToHexStringLower(th1));
        Assert.Equal("66dc9beb0378f09213b609bfebb4a7c2c16a42ac4a2a5062ad5ed8fc6f72766e", Convert.ToHexStringLower(kId));
        Assert.Equal("41553f0ab49232946f277b8a34aca2f77570083e30e4d06eace768148be87474", Convert.ToHexStringLower(th2));
        Assert.Equal("f9e2612a62289c4fc9c7b5680414fc1775bbadd49b3b655269a7206c979d3e32", Convert.ToHexStringLower(auth));
        Assert.Equal("60c49faf180d24fcdecffd846dd3bd6973584f8ba3ada2b94ed5e5d7b20d38df", Convert.ToHexStringLower(kProof));
        Assert.Equal("c481f7cce06330e62ba63f75a131ec58cd6c1cfa710cfa859a428d3312c8b162", Convert.ToHexStringLower(proof));
        Assert.Equal("939e1bd0d4930ef9370bcf5e51e552d45c4d45edbb4a7c53727656a26d54b8c1", Convert.ToHexStringLower(th3));
        Assert.Equal("e975aef80cb9d77468cdd965225c73416154d6934340238978df92e0be69d8cf", Convert.ToHexStringLower(kAccept));

        Assert.Equal([.. identity, .. proof], OpenZeroNonce(kId, r.ClientAuth.AsSpan(4), th1));
    }

    [Fact]
    public void KeySchedule_steps_produce_the_pinned_values()
    {
        var r = Record();
        var schedule = new KeySchedule(SharedSecret(r, out _), r.ClientHello, r.ServerHello);
        Assert.Equal("513d67254a27c2c6d44a062744e1cebcf156abfcee6ebea602322298ea286539", Convert.ToHexStringLower(schedule.Transcript));
        Assert.Equal("66dc9beb0378f09213b609bfebb4a7c2c16a42ac4a2a5062ad5ed8fc6f72766e", Convert.ToHexStringLower(schedule.IdentityKey()));
        schedule.AddIdentity(PinnedIdentity);
        Assert.Equal("41553f0ab49232946f277b8a34aca2f77570083e30e4d06eace768148be87474", Convert.ToHexStringLower(schedule.Transcript));
        Assert.Equal("c481f7cce06330e62ba63f75a131ec58cd6c1cfa710cfa859a428d3312c8b162", Convert.ToHexStringLower(schedule.ClientProof(Handshakes.Key(1))));
        schedule.AddClientAuth(r.ClientAuth);
        Assert.Equal("939e1bd0d4930ef9370bcf5e51e552d45c4d45edbb4a7c53727656a26d54b8c1", Convert.ToHexStringLower(schedule.Transcript));
        Assert.Equal("e975aef80cb9d77468cdd965225c73416154d6934340238978df92e0be69d8cf", Convert.ToHexStringLower(schedule.AcceptKey(Handshakes.Key(1))));
    }

    [Fact]
    public void ServerAccept_opens_under_the_specified_k_accept_to_the_grant_layout()
    {
        var r = Record();
        var kAccept = Hex("e975aef80cb9d77468cdd965225c73416154d6934340238978df92e0be69d8cf");
        var th3 = Hex("939e1bd0d4930ef9370bcf5e51e552d45c4d45edbb4a7c53727656a26d54b8c1");
        var grant = OpenZeroNonce(kAccept, r.ServerAccept.AsSpan(4), th3);
        var serverRandom = new byte[128];
        new TestRandom(100).Fill(serverRandom); // scalar 32 | hello nonce 32 | data keys 64
        var expected = Hex(
            "01020304" + // session id
            "0a000002" + // client address 10.0.0.2
            "18" +       // prefix /24
            "0a000001" + // server address 10.0.0.1
            "9c40" +     // port 40000
            "058c" +     // MTU 1420
            "000a");     // keepalive 10 s
        Assert.Equal([.. expected, .. serverRandom[64..]], grant);
    }
}

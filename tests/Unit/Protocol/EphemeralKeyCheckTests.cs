using System.Numerics;
using System.Security.Cryptography;
using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using static MyVpn.Tests.Unit.Support.HandshakeInputs;
using Xunit;

namespace MyVpn.Tests.Unit.Protocol;

/// <summary>
/// docs/protocol.md §2.2, to the letter: how 32 random bytes become a private scalar (redrawn, never
/// reduced, unless in 1..n−1) and every check on a received public key (65 bytes, 0x04, both coordinates
/// below p, on the curve; the point at infinity has no such encoding). Each check is shown on its own:
/// the keys refused here are real curve points but for the one rule they break.
/// </summary>
public sealed class EphemeralKeyCheckTests
{
    private static readonly BigInteger P = Big("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
    private static readonly BigInteger B = Big("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b");
    private static readonly BigInteger N = Big("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");

    /// <summary>A point of P-256 with X = 0.</summary>
    private static readonly (BigInteger X, BigInteger Y) XZero = (0, Big("66485c780e2f83d72433bd5d84a06bb6541c2af31dae871728bf856a174f93f4"));

    /// <summary>A point of P-256 with Y = 5 (found as the root of x³ − 3x + b − 25 mod p).</summary>
    private static readonly (BigInteger X, BigInteger Y) YFive = (Big("d7325d7646cd60d80a92738ceb345f844cffaf35841022cab176f692de8de1d7"), 5);

    private static BigInteger Big(string hex) => BigInteger.Parse("0" + hex, System.Globalization.NumberStyles.HexNumber);

    private static byte[] Be32(BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        Assert.True(bytes.Length <= 32);
        return [.. new byte[32 - bytes.Length], .. bytes];
    }

    private static bool OnCurve((BigInteger X, BigInteger Y) point) =>
        BigInteger.ModPow(point.Y, 2, P) == ((BigInteger.ModPow(point.X, 3, P) - 3 * point.X + B) % P + P) % P;

    private static byte[] Encoded(BigInteger x, BigInteger y) => [4, .. Be32(x), .. Be32(y)];

    private static HandshakeStep ServerGets(byte[] publicKey)
    {
        using var server = NewServer();
        return server.OnData(HandshakeMessage.Frame(HandshakeMessageType.ClientHello, [.. publicKey, .. new byte[32]]));
    }

    private static HandshakeStep ClientGets(byte[] publicKey)
    {
        using var client = NewClient();
        client.Start();
        return client.OnData(HandshakeMessage.Frame(HandshakeMessageType.ServerHello, [.. publicKey, .. new byte[32]]));
    }

    [Fact]
    public void The_test_points_are_on_the_curve_and_their_coordinates_plus_p_still_fit_in_32_bytes()
    {
        Assert.True(OnCurve(XZero));
        Assert.True(OnCurve(YFive));
        Assert.False(OnCurve((XZero.X, XZero.Y + 1)));
        Assert.True(XZero.X + P < BigInteger.One << 256);
        Assert.True(YFive.Y + P < BigInteger.One << 256);
    }

    [Fact]
    public void Both_sides_accept_the_test_points_written_with_coordinates_below_p()
    {
        foreach (var (x, y) in new[] { XZero, YFive })
        {
            var server = ServerGets(Encoded(x, y));
            Assert.Equal((HandshakeStatus.InProgress, HandshakeError.None), (server.Status, server.Error));
            Assert.NotNull(server.Reply);
            var client = ClientGets(Encoded(x, y));
            Assert.Equal((HandshakeStatus.InProgress, HandshakeError.None), (client.Status, client.Error));
            Assert.NotNull(client.Reply);
        }
    }

    [Fact]
    public void An_X_coordinate_written_as_x_plus_p_is_refused_although_it_names_a_curve_point_mod_p()
    {
        var key = Encoded(XZero.X + P, XZero.Y);
        Assert.Equal(HandshakeError.InvalidPublicKey, ServerGets(key).Error);
        Assert.Equal(HandshakeError.InvalidPublicKey, ClientGets(key).Error);
    }

    [Fact]
    public void A_Y_coordinate_written_as_y_plus_p_is_refused_although_it_names_a_curve_point_mod_p()
    {
        var key = Encoded(YFive.X, YFive.Y + P);
        Assert.Equal(HandshakeError.InvalidPublicKey, ServerGets(key).Error);
        Assert.Equal(HandshakeError.InvalidPublicKey, ClientGets(key).Error);
    }

    [Fact]
    public void A_point_off_the_curve_with_coordinates_below_p_is_refused()
    {
        var key = Encoded(YFive.X, YFive.Y + 1);
        Assert.Equal(HandshakeError.InvalidPublicKey, ServerGets(key).Error);
        Assert.Equal(HandshakeError.InvalidPublicKey, ClientGets(key).Error);
    }

    [Fact]
    public void The_encodings_the_point_at_infinity_could_take_are_refused()
    {
        Assert.Equal(HandshakeError.InvalidPublicKey, ServerGets(Encoded(0, 0)).Error); // (0, 0) is not on P-256
        Assert.Equal(HandshakeError.InvalidPublicKey, ServerGets(new byte[65]).Error);   // SEC 1's 0x00 for infinity, padded
        Assert.Equal(HandshakeError.InvalidPublicKey, ClientGets(new byte[65]).Error);
    }

    // ---- the private scalar: 32 random bytes, big-endian, used as they are if in 1..n−1, else redrawn ----

    /// <summary>Gives the bytes it was made with, in order, then fails the test.</summary>
    private sealed class ScriptedRandom(params byte[][] draws) : IRandomSource
    {
        private readonly byte[] _bytes = [.. draws.SelectMany(d => d)];
        private int _next;

        public void Fill(Span<byte> destination)
        {
            Assert.True(_next + destination.Length <= _bytes.Length, "the handshake drew more random bytes than scripted");
            _bytes.AsSpan(_next, destination.Length).CopyTo(destination);
            _next += destination.Length;
        }
    }

    private static byte[] PublicKeyOf(byte[] scalar)
    {
        using var key = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = scalar });
        var q = key.ExportParameters(false).Q;
        return [4, .. q.X!, .. q.Y!];
    }

    private static byte[] ClientHelloBody(ScriptedRandom random)
    {
        using var client = new ClientHandshake("pc1", Handshakes.Key(1), default, random);
        return client.Start()[HandshakeMessage.HeaderLength..];
    }

    private static byte[] Nonce => Enumerable.Range(0x40, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void Thirty_two_random_bytes_below_n_are_the_scalar_as_they_are_then_the_nonce_follows()
    {
        var scalar = Be32(N - 1);
        var body = ClientHelloBody(new ScriptedRandom(scalar, Nonce));
        Assert.Equal(PublicKeyOf(scalar), body[..65]);
        Assert.Equal(Nonce, body[65..]);
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")] // zero
    [InlineData("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")] // n
    [InlineData("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632552")] // n + 1: reduced, it would be 1
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")] // 2^256 − 1
    public void Bytes_that_are_no_scalar_in_one_to_n_minus_one_are_drawn_again_not_reduced(string invalid)
    {
        var next = Be32(12345);
        var body = ClientHelloBody(new ScriptedRandom(Convert.FromHexString(invalid), next, Nonce));
        Assert.Equal(PublicKeyOf(next), body[..65]);
        Assert.NotEqual(PublicKeyOf(Be32(1)), body[..65]);
        Assert.Equal(Nonce, body[65..]);
    }

    [Fact]
    public void A_random_source_that_gives_seventeen_invalid_scalars_in_a_row_fails_the_handshake_with_an_exception()
    {
        var invalid = Enumerable.Repeat(new byte[32], 17).ToArray();
        using var client = new ClientHandshake("pc1", Handshakes.Key(1), default, new ScriptedRandom(invalid));
        Assert.Throws<CryptographicException>(() => client.Start());
    }
}

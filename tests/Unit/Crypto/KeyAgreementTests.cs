using System.Numerics;
using System.Security.Cryptography;
using System.Runtime.InteropServices;
using MyVpn.Crypto;
using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Crypto;

/// <summary>
/// Each <see cref="IKeyAgreement"/> gives exactly what .NET's <see cref="ECDiffieHellman"/> used directly
/// gives, and both refuse the same scalars and the same points.
/// </summary>
public sealed partial class KeyAgreementTests
{
    private static readonly byte[] OrderMinusOne = Convert.FromHexString("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632550");

    /// <summary>The field prime p of P-256.</summary>
    internal static readonly BigInteger P = BigInteger.Parse("0FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF", System.Globalization.NumberStyles.HexNumber);

    /// <summary>The curve's b (y² = x³ - 3x + b).</summary>
    private static readonly BigInteger B = BigInteger.Parse("05AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B", System.Globalization.NumberStyles.HexNumber);

    public static TheoryData<string> Names => Providers.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public void Public_keys_and_secrets_equal_those_of_ECDiffieHellman(string provider)
    {
        var agreement = Providers.Get(provider).KeyAgreement;
        var random = new TestRandom(5);
        for (var i = 0; i < 32; i++)
        {
            using var mine = EphemeralKey.Generate(random, agreement);
            using var theirs = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
            var q = theirs.ExportParameters(false).Q;
            byte[] theirPublicKey = [4, .. q.X!, .. q.Y!];

            Assert.True(mine.TryAgree(theirPublicKey, out var secret));

            using var mineAsDotNet = ECDiffieHellman.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = mine.PublicKey[1..33], Y = mine.PublicKey[33..] },
            });
            Assert.Equal(theirs.DeriveRawSecretAgreement(mineAsDotNet.PublicKey), secret);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_public_key_of_a_scalar_equals_the_one_ECDiffieHellman_computes(string provider)
    {
        var agreement = Providers.Get(provider).KeyAgreement;
        foreach (byte[] scalar in new[] { OrderMinusOne, [.. new byte[31], 1], [.. Enumerable.Range(1, 32).Select(i => (byte)i)] })
        {
            using var dotNet = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = scalar.ToArray() });
            var q = dotNet.ExportParameters(false).Q;
            var point = new byte[IKeyAgreement.PointLength];

            agreement.PublicKey(scalar, point);

            Assert.Equal([4, .. q.X!, .. q.Y!], point);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Scalars_outside_one_to_n_minus_one_are_invalid_and_refused_as_a_callers_bug(string provider)
    {
        var agreement = Providers.Get(provider).KeyAgreement;
        byte[] order = [.. OrderMinusOne];
        order[^1]++;
        byte[][] invalid = [new byte[32], order, [.. Enumerable.Repeat((byte)0xFF, 32)], [.. new byte[30], 1], [.. OrderMinusOne, 0], []];
        foreach (var scalar in invalid)
        {
            Assert.False(agreement.IsValidScalar(scalar));
            Assert.Throws<ArgumentException>(() => agreement.PublicKey(scalar, new byte[IKeyAgreement.PointLength]));
            Assert.Throws<ArgumentException>(() => agreement.TryAgree(scalar, ValidPoint(), new byte[IKeyAgreement.ScalarLength]));
        }
        Assert.True(agreement.IsValidScalar(OrderMinusOne));
        Assert.True(agreement.IsValidScalar([.. new byte[31], 1]));
    }

    public static TheoryData<string, string> InvalidPointKinds => Providers.With(
        "off the curve", "x not below p", "x = p", "y not below p", "infinity", "all ones",
        "compressed prefix 2", "compressed prefix 3", "hybrid prefix 6", "prefix 0", "64 bytes", "66 bytes", "1 byte", "empty");

    [Theory]
    [MemberData(nameof(InvalidPointKinds))]
    public void An_invalid_peer_point_gives_no_secret_and_leaves_no_OpenSSL_error(string provider, string kind)
    {
        var agreement = Providers.Get(provider).KeyAgreement;
        var point = InvalidPoint(kind);
        var secret = new byte[IKeyAgreement.ScalarLength];

        Assert.False(agreement.TryAgree(OrderMinusOne, point, secret));
        Assert.Equal(0ul, (ulong)ERR_peek_error());
    }

    [Fact]
    public void The_point_with_a_coordinate_plus_p_is_the_same_point_when_reduced_so_only_the_range_check_refuses_it()
    {
        // Guards the "x not below p" case above: reduced mod p it is a valid point, which agrees.
        var (x, y) = SmallXPoint();
        Assert.True(x + P < BigInteger.One << 256);
        Assert.True(CryptoProviders.DotNet.KeyAgreement.TryAgree(OrderMinusOne, Encode(x, y), new byte[32]));
        Assert.True(CryptoProviders.OpenSsl.KeyAgreement.TryAgree(OrderMinusOne, Encode(x, y), new byte[32]));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_disposed_key_agrees_to_nothing(string provider)
    {
        var key = EphemeralKey.Generate(new TestRandom(7), Providers.Get(provider).KeyAgreement);
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.TryAgree(key.PublicKey, out _));
    }

    /// <summary>A valid public key (of the scalar 1·…·32), for tests that need one.</summary>
    internal static byte[] ValidPoint()
    {
        var point = new byte[IKeyAgreement.PointLength];
        CryptoProviders.DotNet.KeyAgreement.PublicKey([.. Enumerable.Range(1, 32).Select(i => (byte)i)], point);
        return point;
    }

    internal static byte[] InvalidPoint(string kind)
    {
        var valid = ValidPoint();
        var (x, y) = SmallXPoint();
        switch (kind)
        {
            case "off the curve":
                valid[^1] ^= 1;
                return valid;
            case "x not below p": return Encode(x + P, y);
            case "x = p": return Encode(P, y);
            case "y not below p": return [4, .. valid[1..33], .. Enumerable.Repeat((byte)0xFF, 32)];
            case "infinity": return [4, .. new byte[64]];
            case "all ones": return [4, .. Enumerable.Repeat((byte)0xFF, 64)];
            case "compressed prefix 2": return [2, .. valid[1..]];
            case "compressed prefix 3": return [3, .. valid[1..]];
            case "hybrid prefix 6": return [6, .. valid[1..]];
            case "prefix 0": return [0, .. valid[1..]];
            case "64 bytes": return valid[..64];
            case "66 bytes": return [.. valid, 0];
            case "1 byte": return [4];
            case "empty": return [];
            default: throw new ArgumentException(kind);
        }
    }

    /// <summary>The point with the smallest x on the curve: small enough that x + p still fits 32 bytes.</summary>
    internal static (BigInteger X, BigInteger Y) SmallXPoint()
    {
        for (BigInteger x = 0; ; x++)
        {
            var rhs = ((x * x * x - 3 * x + B) % P + P) % P;
            if (BigInteger.ModPow(rhs, (P - 1) / 2, P) != BigInteger.One)
                continue;
            var y = BigInteger.ModPow(rhs, (P + 1) / 4, P); // p ≡ 3 (mod 4)
            Assert.Equal(rhs, y * y % P);
            return (x, y);
        }
    }

    internal static byte[] Encode(BigInteger x, BigInteger y) => [4, .. Coordinate(x), .. Coordinate(y)];

    private static byte[] Coordinate(BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        Assert.True(bytes.Length <= 32);
        return [.. new byte[32 - bytes.Length], .. bytes];
    }

    [LibraryImport("libcrypto.so.3")]
    private static partial nuint ERR_peek_error();
}

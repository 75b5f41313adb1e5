using System.Security.Cryptography;
using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Protocol;

/// <summary>The direct libcrypto P-256 gives exactly what .NET's ECDiffieHellman gives, and refuses what it refuses.</summary>
public sealed class P256Tests
{
    private static readonly byte[] OrderMinusOne = Convert.FromHexString("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632550");

    [Fact]
    public void Public_keys_and_secrets_equal_those_of_ECDiffieHellman()
    {
        var random = new TestRandom(5);
        for (var i = 0; i < 32; i++)
        {
            using var mine = EphemeralKey.Generate(random);
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

    [Fact]
    public void The_public_key_of_a_scalar_equals_the_one_ECDiffieHellman_computes()
    {
        byte[] scalar = [.. OrderMinusOne];
        using var dotNet = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = scalar });
        var q = dotNet.ExportParameters(false).Q;
        var point = new byte[P256.PointLength];

        P256.PublicKey(scalar, point);

        Assert.Equal([4, .. q.X!, .. q.Y!], point);
    }

    [Fact]
    public void Scalars_outside_one_to_n_minus_one_are_invalid()
    {
        byte[] order = [.. OrderMinusOne];
        order[^1]++;
        Assert.False(P256.IsValidScalar(new byte[32]));
        Assert.False(P256.IsValidScalar(order));
        Assert.False(P256.IsValidScalar(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.True(P256.IsValidScalar(OrderMinusOne));
        Assert.True(P256.IsValidScalar([.. new byte[31], 1]));
    }

    [Fact]
    public void The_point_at_infinity_and_points_off_the_curve_give_no_secret()
    {
        using var key = EphemeralKey.Generate(new TestRandom(6));
        var offCurve = key.PublicKey.ToArray();
        offCurve[^1] ^= 1;
        var infinity = new byte[P256.PointLength];
        infinity[0] = 4;

        Assert.False(key.TryAgree(offCurve, out _));
        Assert.False(key.TryAgree(infinity, out _));
        Assert.False(key.TryAgree([0], out _));
    }

    [Fact]
    public void A_disposed_key_agrees_to_nothing()
    {
        var key = EphemeralKey.Generate(new TestRandom(7));
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.TryAgree(key.PublicKey, out _));
    }
}

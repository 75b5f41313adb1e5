using CsCheck;
using MyVpn.Crypto;
using Xunit;

namespace MyVpn.Tests.Unit.Crypto;

/// <summary>
/// Properties over random inputs: the OpenSSL bindings and .NET's own cryptography are interchangeable.
/// Each produces the other's bytes, opens the other's output, and refuses exactly what the other refuses.
/// </summary>
public sealed class CrossImplementationTests
{
    private static readonly ICryptoProvider OpenSsl = CryptoProviders.OpenSsl;
    private static readonly ICryptoProvider DotNet = CryptoProviders.DotNet;

    private static readonly byte[] Order = Convert.FromHexString("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");

    [Fact]
    public void Random_key_nonce_associated_data_and_text_seal_to_the_same_bytes_and_each_opens_the_other()
    {
        var cases = Gen.Select(Gen.Byte.Array[32], Gen.Byte.Array[12], Gen.Byte.Array[0, 64], Gen.Byte.Array[0, 2000]);
        cases.Sample((key, nonce, associated, plain) =>
        {
            var (openSslText, openSslTag) = Seal(OpenSsl, key, nonce, associated, plain);
            var (dotNetText, dotNetTag) = Seal(DotNet, key, nonce, associated, plain);
            Assert.Equal(dotNetText, openSslText);
            Assert.Equal(dotNetTag, openSslTag);

            Assert.Equal(plain, Open(DotNet, key, nonce, associated, openSslText, openSslTag));
            Assert.Equal(plain, Open(OpenSsl, key, nonce, associated, dotNetText, dotNetTag));
        }, iter: 300);
    }

    [Fact]
    public void A_random_change_to_a_sealed_packet_is_refused_by_both_with_the_text_wiped()
    {
        var cases = Gen.Select(Gen.Byte.Array[32], Gen.Byte.Array[12], Gen.Byte.Array[0, 32], Gen.Byte.Array[1, 300], Gen.Int[0, int.MaxValue], Gen.Int[0, 7]);
        cases.Sample((key, nonce, associated, plain, where, bit) =>
        {
            var (text, tag) = Seal(OpenSsl, key, nonce, associated, plain);
            // one bit flipped in the text, the tag, the nonce or the associated data
            var parts = new[] { text, tag, nonce, associated }.Where(p => p.Length > 0).ToArray();
            var part = parts[where % parts.Length];
            part[where / parts.Length % part.Length] ^= (byte)(1 << bit);

            foreach (var crypto in new[] { OpenSsl, DotNet })
            {
                var copy = text.ToArray();
                using var opener = crypto.CreateAead(key, encrypt: false);
                Assert.False(opener.TryOpen(nonce, copy, tag, associated));
                Assert.All(copy, b => Assert.Equal(0, b));
            }
        }, iter: 300);
    }

    [Fact]
    public void ECDH_with_random_scalars_gives_the_same_public_keys_and_secrets_in_both()
    {
        var scalars = Gen.Byte.Array[32].Where(s => OpenSsl.KeyAgreement.IsValidScalar(s));
        Gen.Select(scalars, scalars).Sample((a, b) =>
        {
            var publicA = PublicKey(OpenSsl, a);
            var publicB = PublicKey(OpenSsl, b);
            Assert.Equal(PublicKey(DotNet, a), publicA);
            Assert.Equal(PublicKey(DotNet, b), publicB);

            var secret = Agree(OpenSsl, a, publicB);
            Assert.NotNull(secret);
            Assert.Equal(secret, Agree(DotNet, a, publicB));
            Assert.Equal(secret, Agree(OpenSsl, b, publicA));
            Assert.Equal(secret, Agree(DotNet, b, publicA));
        }, iter: 100);
    }

    [Fact]
    public void Random_and_damaged_peer_points_are_accepted_or_refused_alike_and_agree_when_accepted()
    {
        var valid = KeyAgreementTests.ValidPoint();
        var damaged = Gen.Select(Gen.Int[0, 64], Gen.Int[0, 7]).Select((at, bit) =>
        {
            var point = valid.ToArray();
            point[at] ^= (byte)(1 << bit);
            return point;
        });
        var random = Gen.Byte.Array[65].Select(p => { p[0] = 4; return p; });
        var anyLength = Gen.Byte.Array[0, 70];
        var points = Gen.Frequency((3, damaged), (3, random), (1, anyLength), (1, Gen.Const(valid)));
        var scalar = OrderMinusOneMinus(12345);
        points.Sample(point =>
        {
            var fromOpenSsl = Agree(OpenSsl, scalar, point);
            var fromDotNet = Agree(DotNet, scalar, point);
            Assert.Equal(fromDotNet, fromOpenSsl);
        }, iter: 300);
    }

    [Fact]
    public void Random_scalars_and_scalars_around_zero_and_the_order_are_judged_alike()
    {
        var nearOrder = Gen.Int[-3, 3].Select(d => OrderPlus(d));
        var nearZero = Gen.Byte[0, 3].Select(b => (byte[])[.. new byte[31], b]);
        var anyLength = Gen.Byte.Array[0, 40];
        var high = Gen.Byte.Array[32].Select(s => { s[0] = 0xFF; s[1] = 0xFF; s[2] = 0xFF; s[3] = 0xFF; return s; });
        var scalars = Gen.Frequency((2, Gen.Byte.Array[32]), (2, nearOrder), (1, nearZero), (1, anyLength), (2, high));
        scalars.Sample(scalar =>
            Assert.Equal(DotNet.KeyAgreement.IsValidScalar(scalar), OpenSsl.KeyAgreement.IsValidScalar(scalar)), iter: 2000);
        Assert.False(OpenSsl.KeyAgreement.IsValidScalar(OrderPlus(0)));
        Assert.True(OpenSsl.KeyAgreement.IsValidScalar(OrderPlus(-1)));
    }

    private static byte[] OrderPlus(int delta)
    {
        var value = new System.Numerics.BigInteger(Order, isUnsigned: true, isBigEndian: true) + delta;
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        return [.. new byte[32 - bytes.Length], .. bytes];
    }

    private static byte[] OrderMinusOneMinus(int delta) => OrderPlus(-1 - delta);

    private static (byte[] Text, byte[] Tag) Seal(ICryptoProvider crypto, byte[] key, byte[] nonce, byte[] associated, byte[] plain)
    {
        using var sealer = crypto.CreateAead(key, encrypt: true);
        var text = plain.ToArray();
        var tag = new byte[16];
        sealer.Seal(nonce, text, tag, associated);
        return (text, tag);
    }

    private static byte[]? Open(ICryptoProvider crypto, byte[] key, byte[] nonce, byte[] associated, byte[] sealedText, byte[] tag)
    {
        using var opener = crypto.CreateAead(key, encrypt: false);
        var text = sealedText.ToArray();
        return opener.TryOpen(nonce, text, tag, associated) ? text : null;
    }

    private static byte[] PublicKey(ICryptoProvider crypto, byte[] scalar)
    {
        var point = new byte[IKeyAgreement.PointLength];
        crypto.KeyAgreement.PublicKey(scalar, point);
        return point;
    }

    private static byte[]? Agree(ICryptoProvider crypto, byte[] scalar, byte[] peer)
    {
        var secret = new byte[IKeyAgreement.ScalarLength];
        return crypto.KeyAgreement.TryAgree(scalar, peer, secret) ? secret : null;
    }
}

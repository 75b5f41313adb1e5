using System.Runtime.InteropServices;

namespace MyVpn.Crypto.OpenSsl;

/// <summary>
/// P-256 scalar multiplication straight from OpenSSL's libcrypto (the library .NET's own ECDH uses),
/// without the key objects around it. <c>ECDiffieHellman</c> re-validates a key on every import and
/// the peer on every agreement with a full multiplication by the group order (useless on a curve of
/// cofactor 1), and builds provider key objects each time: about 4× the cost of the two
/// multiplications a handshake side needs. Points from the wire are still checked to be on the curve.
/// Every native object is a <see cref="System.Runtime.InteropServices.SafeHandle"/>, freed (and wiped)
/// when the call that made it ends, whether it returns or throws.
/// </summary>
internal sealed unsafe partial class OpenSslP256 : IKeyAgreement
{
    private const string Library = LibCrypto.Library;
    private const int NidPrime256V1 = 415;
    private const int FormUncompressed = 4;
    private const int BnFlagConstTime = 0x04;

    public static readonly OpenSslP256 Instance = new();

    private OpenSslP256()
    {
    }

    /// <summary>The group order n, big-endian: a private scalar must be in [1, n-1].</summary>
    private static ReadOnlySpan<byte> Order =>
    [
        0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
    ];

    /// <summary>One group for the process (never freed); OpenSSL only reads it, from any thread.</summary>
    private static readonly EcGroupHandle Group = CreateGroup();

    /// <inheritdoc/>
    public bool IsValidScalar(ReadOnlySpan<byte> scalar) =>
        scalar.Length == IKeyAgreement.ScalarLength && scalar.ContainsAnyExcept((byte)0) && scalar.SequenceCompareTo(Order) < 0;

    /// <inheritdoc/>
    public void PublicKey(ReadOnlySpan<byte> scalar, Span<byte> point)
    {
        CheckScalar(scalar);
        if (point.Length != IKeyAgreement.PointLength)
            throw new ArgumentException("a P-256 public key takes 65 bytes", nameof(point));
        using var d = Scalar(scalar);
        using var result = EC_POINT_new(Group);
        Check(!result.IsInvalid && EC_POINT_mul(Group, result, d, 0, 0, 0) == 1, "EC_POINT_mul");
        fixed (byte* p = point)
            Check(EC_POINT_point2oct(Group, result, FormUncompressed, p, IKeyAgreement.PointLength, 0) == IKeyAgreement.PointLength,
                "EC_POINT_point2oct");
    }

    /// <inheritdoc/>
    public bool TryAgree(ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> peerPoint, Span<byte> secret)
    {
        CheckScalar(scalar);
        if (secret.Length != IKeyAgreement.ScalarLength)
            throw new ArgumentException("a P-256 shared secret takes 32 bytes", nameof(secret));
        if (peerPoint.Length != IKeyAgreement.PointLength || peerPoint[0] != FormUncompressed)
            return false;
        using var peer = EC_POINT_new(Group);
        using var shared = EC_POINT_new(Group);
        using var x = BN_new();
        Check(!peer.IsInvalid && !shared.IsInvalid && !x.IsInvalid, "EC_POINT_new");
        using var d = Scalar(scalar);
        int decoded;
        fixed (byte* p = peerPoint)
            decoded = EC_POINT_oct2point(Group, peer, p, IKeyAgreement.PointLength, 0);
        // oct2point already refuses coordinates ≥ p and points off the curve; the explicit check keeps
        // that guarantee whatever the library version. Cofactor 1: on the curve means in the group.
        if (decoded != 1 || EC_POINT_is_on_curve(Group, peer, 0) != 1 || EC_POINT_is_at_infinity(Group, peer) != 0)
        {
            LibCrypto.ClearErrors();
            return false;
        }
        Check(EC_POINT_mul(Group, shared, 0, peer, d, 0) == 1, "EC_POINT_mul");
        Check(EC_POINT_is_at_infinity(Group, shared) == 0, "EC_POINT_mul (infinity)");
        Check(EC_POINT_get_affine_coordinates(Group, shared, x, 0, 0) == 1, "EC_POINT_get_affine_coordinates");
        fixed (byte* s = secret)
            Check(BN_bn2binpad(x, s, IKeyAgreement.ScalarLength) == IKeyAgreement.ScalarLength, "BN_bn2binpad");
        return true;
    }

    private void CheckScalar(ReadOnlySpan<byte> scalar)
    {
        if (!IsValidScalar(scalar))
            throw new ArgumentException("a P-256 private scalar is 32 bytes in [1, n-1]", nameof(scalar));
    }

    private static BigNumHandle Scalar(ReadOnlySpan<byte> scalar)
    {
        BigNumHandle d;
        fixed (byte* s = scalar)
            d = BN_bin2bn(s, scalar.Length, 0);
        if (d.IsInvalid)
        {
            d.Dispose();
            LibCrypto.Fail("BN_bin2bn");
        }
        BN_set_flags(d, BnFlagConstTime);
        return d;
    }

    private static EcGroupHandle CreateGroup()
    {
        var group = EC_GROUP_new_by_curve_name(NidPrime256V1);
        Check(!group.IsInvalid, "EC_GROUP_new_by_curve_name");
        return group;
    }

    private static void Check(bool ok, string call) => LibCrypto.Check(ok, call);

    [LibraryImport(Library)] private static partial EcGroupHandle EC_GROUP_new_by_curve_name(int nid);
    [LibraryImport(Library)] private static partial EcPointHandle EC_POINT_new(EcGroupHandle group);

    /// <summary>EC_POINT_mul(group, result, n, q, m, ctx) = n·G + m·q; a null is passed as 0.</summary>
    [LibraryImport(Library)]
    private static partial int EC_POINT_mul(EcGroupHandle group, EcPointHandle result, BigNumHandle generatorScalar, nint point, nint pointScalar, nint context);

    [LibraryImport(Library)]
    private static partial int EC_POINT_mul(EcGroupHandle group, EcPointHandle result, nint generatorScalar, EcPointHandle point, BigNumHandle pointScalar, nint context);

    [LibraryImport(Library)] private static partial int EC_POINT_oct2point(EcGroupHandle group, EcPointHandle point, byte* buffer, nuint length, nint context);
    [LibraryImport(Library)] private static partial nuint EC_POINT_point2oct(EcGroupHandle group, EcPointHandle point, int form, byte* buffer, nuint length, nint context);
    [LibraryImport(Library)] private static partial int EC_POINT_is_on_curve(EcGroupHandle group, EcPointHandle point, nint context);
    [LibraryImport(Library)] private static partial int EC_POINT_is_at_infinity(EcGroupHandle group, EcPointHandle point);
    [LibraryImport(Library)] private static partial int EC_POINT_get_affine_coordinates(EcGroupHandle group, EcPointHandle point, BigNumHandle x, nint y, nint context);
    [LibraryImport(Library)] private static partial BigNumHandle BN_new();
    [LibraryImport(Library)] private static partial BigNumHandle BN_bin2bn(byte* bytes, int length, nint result);
    [LibraryImport(Library)] private static partial int BN_bn2binpad(BigNumHandle number, byte* bytes, int length);
    [LibraryImport(Library)] private static partial void BN_set_flags(BigNumHandle number, int flags);
}

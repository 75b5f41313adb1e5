using System.Runtime.InteropServices;

namespace MyVpn.Protocol;

/// <summary>
/// P-256 scalar multiplication straight from OpenSSL's libcrypto (the library .NET's own ECDH uses),
/// without the key objects around it. <c>ECDiffieHellman</c> re-validates a key on every import and
/// the peer on every agreement with a full multiplication by the group order (useless on a curve of
/// cofactor 1), and builds provider key objects each time: about 4× the cost of the two
/// multiplications a handshake side needs. Points from the wire are still checked to be on the curve.
/// </summary>
internal static unsafe partial class P256
{
    private const string Library = LibCrypto.Library;
    private const int NidPrime256V1 = 415;
    private const int FormUncompressed = 4;
    private const int BnFlagConstTime = 0x04;

    /// <summary>The group order n, big-endian: a private scalar must be in [1, n-1].</summary>
    private static ReadOnlySpan<byte> Order =>
    [
        0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
    ];

    /// <summary>One group for the process; OpenSSL only reads it, from any thread.</summary>
    private static readonly nint Group = CreateGroup();

    public const int ScalarLength = 32;
    public const int PointLength = 65;

    /// <summary>True if the big-endian <paramref name="scalar"/> is a valid private key: neither 0 nor ≥ n.</summary>
    public static bool IsValidScalar(ReadOnlySpan<byte> scalar) =>
        scalar.Length == ScalarLength && scalar.ContainsAnyExcept((byte)0) && scalar.SequenceCompareTo(Order) < 0;

    /// <summary>Writes scalar·G as 0x04 | X | Y into <paramref name="point"/> (65 bytes).</summary>
    public static void PublicKey(ReadOnlySpan<byte> scalar, Span<byte> point)
    {
        var d = Scalar(scalar);
        var result = EC_POINT_new(Group);
        try
        {
            Check(result != 0 && EC_POINT_mul(Group, result, d, 0, 0, 0) == 1, "EC_POINT_mul");
            fixed (byte* p = point)
                Check(EC_POINT_point2oct(Group, result, FormUncompressed, p, PointLength, 0) == PointLength, "EC_POINT_point2oct");
        }
        finally
        {
            EC_POINT_clear_free(result);
            BN_clear_free(d);
        }
    }

    /// <summary>
    /// The X coordinate of scalar·peer (the raw ECDH secret, as <c>DeriveRawSecretAgreement</c> gives it),
    /// or false if <paramref name="peerPoint"/> is not an uncompressed point on the curve.
    /// </summary>
    public static bool TryAgree(ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> peerPoint, Span<byte> secret)
    {
        if (peerPoint.Length != PointLength || peerPoint[0] != FormUncompressed)
            return false;
        var peer = EC_POINT_new(Group);
        var shared = EC_POINT_new(Group);
        var x = BN_new();
        nint d = 0;
        try
        {
            d = Scalar(scalar); // inside the try: if it throws, the points above are still freed (free of 0 is a no-op)
            Check(peer != 0 && shared != 0 && x != 0, "EC_POINT_new");
            int decoded;
            fixed (byte* p = peerPoint)
                decoded = EC_POINT_oct2point(Group, peer, p, PointLength, 0);
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
                Check(BN_bn2binpad(x, s, ScalarLength) == ScalarLength, "BN_bn2binpad");
            return true;
        }
        finally
        {
            BN_clear_free(d);
            BN_clear_free(x);
            EC_POINT_clear_free(shared);
            EC_POINT_clear_free(peer);
        }
    }

    private static nint Scalar(ReadOnlySpan<byte> scalar)
    {
        nint d;
        fixed (byte* s = scalar)
            d = BN_bin2bn(s, scalar.Length, 0);
        Check(d != 0, "BN_bin2bn");
        BN_set_flags(d, BnFlagConstTime);
        return d;
    }

    private static nint CreateGroup()
    {
        var group = EC_GROUP_new_by_curve_name(NidPrime256V1);
        Check(group != 0, "EC_GROUP_new_by_curve_name");
        return group;
    }

    private static void Check(bool ok, string call) => LibCrypto.Check(ok, call);

    [LibraryImport(Library)] private static partial nint EC_GROUP_new_by_curve_name(int nid);
    [LibraryImport(Library)] private static partial nint EC_POINT_new(nint group);
    [LibraryImport(Library)] private static partial void EC_POINT_clear_free(nint point);
    [LibraryImport(Library)] private static partial int EC_POINT_mul(nint group, nint result, nint generatorScalar, nint point, nint pointScalar, nint context);
    [LibraryImport(Library)] private static partial int EC_POINT_oct2point(nint group, nint point, byte* buffer, nuint length, nint context);
    [LibraryImport(Library)] private static partial nuint EC_POINT_point2oct(nint group, nint point, int form, byte* buffer, nuint length, nint context);
    [LibraryImport(Library)] private static partial int EC_POINT_is_on_curve(nint group, nint point, nint context);
    [LibraryImport(Library)] private static partial int EC_POINT_is_at_infinity(nint group, nint point);
    [LibraryImport(Library)] private static partial int EC_POINT_get_affine_coordinates(nint group, nint point, nint x, nint y, nint context);
    [LibraryImport(Library)] private static partial nint BN_new();
    [LibraryImport(Library)] private static partial nint BN_bin2bn(byte* bytes, int length, nint result);
    [LibraryImport(Library)] private static partial int BN_bn2binpad(nint number, byte* bytes, int length);
    [LibraryImport(Library)] private static partial void BN_set_flags(nint number, int flags);
    [LibraryImport(Library)] private static partial void BN_clear_free(nint number);
}

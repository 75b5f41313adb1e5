namespace MyVpn.Crypto;

/// <summary>
/// Elliptic-curve Diffie-Hellman on P-256 from a raw private scalar (32 bytes, big-endian) and public
/// keys encoded uncompressed (65 bytes: 0x04 | X | Y). Stateless and safe to use from any thread.
/// </summary>
public interface IKeyAgreement
{
    /// <summary>Bytes in a private scalar and in the shared secret (the X coordinate).</summary>
    const int ScalarLength = 32;

    /// <summary>Bytes in an encoded public key: 0x04 | X | Y.</summary>
    const int PointLength = 65;

    /// <summary>True if <paramref name="scalar"/> is 32 bytes and, read big-endian, in [1, n-1] (n the group order).</summary>
    bool IsValidScalar(ReadOnlySpan<byte> scalar);

    /// <summary>
    /// Writes scalar·G as 0x04 | X | Y into <paramref name="point"/> (65 bytes). An invalid scalar
    /// (see <see cref="IsValidScalar"/>) is the caller's bug: <see cref="ArgumentException"/>.
    /// </summary>
    void PublicKey(ReadOnlySpan<byte> scalar, Span<byte> point);

    /// <summary>
    /// Writes the X coordinate of scalar·peer (the raw ECDH secret, 32 bytes) into <paramref name="secret"/>,
    /// or returns false if <paramref name="peerPoint"/> is not a valid public key: not 65 bytes, not
    /// prefixed 0x04, a coordinate not below p, not on the curve, or the point at infinity.
    /// </summary>
    bool TryAgree(ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> peerPoint, Span<byte> secret);
}

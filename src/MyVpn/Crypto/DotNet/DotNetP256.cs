using System.Security.Cryptography;

namespace MyVpn.Crypto.DotNet;

/// <summary>
/// P-256 key agreement through .NET's <see cref="ECDiffieHellman"/>: the scalar imported as
/// <see cref="ECParameters.D"/>, the peer as <see cref="ECParameters.Q"/> (the import refuses a point
/// off the curve, with a coordinate not below p, or at infinity), and the secret from
/// <see cref="ECDiffieHellman.DeriveRawSecretAgreement"/>. The group order comes from the platform's
/// explicit curve parameters, not from a constant of ours. Allocates key objects per call: for tests and
/// as a reference, not for a handshake flood.
/// </summary>
internal sealed class DotNetP256 : IKeyAgreement
{
    public static readonly DotNetP256 Instance = new();

    /// <summary>The group order n, big-endian, as the platform reports it.</summary>
    private readonly byte[] _order;

    private DotNetP256()
    {
        using var key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        _order = key.ExportExplicitParameters(includePrivateParameters: false).Curve.Order
            ?? throw new CryptographicException("the platform gave no order for P-256");
    }

    /// <inheritdoc/>
    public bool IsValidScalar(ReadOnlySpan<byte> scalar) =>
        scalar.Length == IKeyAgreement.ScalarLength && scalar.ContainsAnyExcept((byte)0) && scalar.SequenceCompareTo(_order) < 0;

    /// <inheritdoc/>
    public void PublicKey(ReadOnlySpan<byte> scalar, Span<byte> point)
    {
        if (point.Length != IKeyAgreement.PointLength)
            throw new ArgumentException("a P-256 public key takes 65 bytes", nameof(point));
        using var key = Import(scalar);
        var q = key.ExportParameters(includePrivateParameters: false).Q;
        point[0] = 4;
        q.X.AsSpan().CopyTo(point[1..]);
        q.Y.AsSpan().CopyTo(point[(1 + IKeyAgreement.ScalarLength)..]);
    }

    /// <inheritdoc/>
    public bool TryAgree(ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> peerPoint, Span<byte> secret)
    {
        if (secret.Length != IKeyAgreement.ScalarLength)
            throw new ArgumentException("a P-256 shared secret takes 32 bytes", nameof(secret));
        using var mine = Import(scalar);
        if (peerPoint.Length != IKeyAgreement.PointLength || peerPoint[0] != 4)
            return false;
        ECDiffieHellman peer;
        try
        {
            peer = ECDiffieHellman.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = peerPoint[1..33].ToArray(), Y = peerPoint[33..].ToArray() },
            });
        }
        catch (CryptographicException)
        {
            return false;
        }
        using (peer)
        {
            var raw = mine.DeriveRawSecretAgreement(peer.PublicKey);
            raw.CopyTo(secret);
            CryptographicOperations.ZeroMemory(raw);
        }
        return true;
    }

    private ECDiffieHellman Import(ReadOnlySpan<byte> scalar)
    {
        if (!IsValidScalar(scalar))
            throw new ArgumentException("a P-256 private scalar is 32 bytes in [1, n-1]", nameof(scalar));
        var d = scalar.ToArray();
        try
        {
            return ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });
        }
        finally
        {
            CryptographicOperations.ZeroMemory(d);
        }
    }
}

using System.Security.Cryptography;

namespace MyVpn.Protocol;

/// <summary>
/// A one-handshake P-256 key pair whose private scalar comes from an <see cref="IRandomSource"/>
/// (so a simulated run is repeatable). The public key travels as 65 bytes: 0x04 | X | Y.
/// </summary>
public sealed class EphemeralKey : IDisposable
{
    private readonly ECDiffieHellman _key;

    private EphemeralKey(ECDiffieHellman key, byte[] publicKey)
    {
        _key = key;
        PublicKey = publicKey;
    }

    public byte[] PublicKey { get; }

    public static EphemeralKey Generate(IRandomSource random)
    {
        Span<byte> scalar = stackalloc byte[32];
        for (var attempt = 0; ; attempt++)
        {
            random.Fill(scalar);
            try
            {
                var key = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = scalar.ToArray() });
                var q = key.ExportParameters(false).Q;
                var encoded = new byte[HandshakeMessage.PublicKeyLength];
                encoded[0] = 4;
                q.X!.CopyTo(encoded, 1);
                q.Y!.CopyTo(encoded, 33);
                return new EphemeralKey(key, encoded);
            }
            catch (CryptographicException) when (attempt < 16)
            {
                // The scalar was 0 or not below the group order (chance ~2^-32): draw again.
            }
            finally
            {
                CryptographicOperations.ZeroMemory(scalar);
            }
        }
    }

    /// <summary>The raw ECDH shared secret with the peer's encoded public key; false if that is not a valid point.</summary>
    public bool TryAgree(ReadOnlySpan<byte> peerPublicKey, out byte[] secret)
    {
        secret = [];
        if (peerPublicKey.Length != HandshakeMessage.PublicKeyLength || peerPublicKey[0] != 4)
            return false;
        try
        {
            using var peer = ECDiffieHellman.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = peerPublicKey[1..33].ToArray(), Y = peerPublicKey[33..].ToArray() },
            });
            secret = _key.DeriveRawSecretAgreement(peer.PublicKey);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public void Dispose() => _key.Dispose();
}

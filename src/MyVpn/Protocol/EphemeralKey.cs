using System.Security.Cryptography;

namespace MyVpn.Protocol;

/// <summary>
/// A one-handshake P-256 key pair whose private scalar comes from an <see cref="IRandomSource"/>
/// (so a simulated run is repeatable). The public key travels as 65 bytes: 0x04 | X | Y.
/// </summary>
public sealed class EphemeralKey : IDisposable
{
    private readonly byte[] _scalar;
    private bool _disposed;

    private EphemeralKey(byte[] scalar, byte[] publicKey)
    {
        _scalar = scalar;
        PublicKey = publicKey;
    }

    public byte[] PublicKey { get; }

    /// <summary>The private scalar, for tests that check it is wiped by <see cref="Dispose"/>.</summary>
    internal byte[] Scalar => _scalar;

    public static EphemeralKey Generate(IRandomSource random)
    {
        var scalar = new byte[P256.ScalarLength];
        for (var attempt = 0; ; attempt++)
        {
            random.Fill(scalar);
            if (P256.IsValidScalar(scalar))
                break;
            // The scalar was 0 or not below the group order (chance ~2^-32): draw again.
            if (attempt == 16)
            {
                CryptographicOperations.ZeroMemory(scalar);
                throw new CryptographicException("the random source gave no valid P-256 scalar in 17 draws");
            }
        }
        var encoded = new byte[HandshakeMessage.PublicKeyLength];
        P256.PublicKey(scalar, encoded);
        return new EphemeralKey(scalar, encoded);
    }

    /// <summary>The raw ECDH shared secret with the peer's encoded public key; false if that is not a valid point.</summary>
    public bool TryAgree(ReadOnlySpan<byte> peerPublicKey, out byte[] secret)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        secret = new byte[P256.ScalarLength];
        if (P256.TryAgree(_scalar, peerPublicKey, secret))
            return true;
        secret = [];
        return false;
    }

    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_scalar);
    }
}

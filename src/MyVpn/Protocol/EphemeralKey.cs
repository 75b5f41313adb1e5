using System.Security.Cryptography;
using MyVpn.Crypto;

namespace MyVpn.Protocol;

/// <summary>
/// A one-handshake P-256 key pair whose private scalar comes from an <see cref="IRandomSource"/>
/// (so a simulated run is repeatable). The public key travels as 65 bytes: 0x04 | X | Y. The curve
/// arithmetic is an <see cref="IKeyAgreement"/>'s (<see cref="CryptoProviders.Default"/>'s unless given).
/// </summary>
public sealed class EphemeralKey : IDisposable
{
    private readonly byte[] _scalar;
    private readonly IKeyAgreement _agreement;
    private bool _disposed;

    private EphemeralKey(byte[] scalar, byte[] publicKey, IKeyAgreement agreement)
    {
        _scalar = scalar;
        _agreement = agreement;
        PublicKey = publicKey;
    }

    public byte[] PublicKey { get; }

    /// <summary>The private scalar, for tests that check it is wiped by <see cref="Dispose"/>.</summary>
    internal byte[] Scalar => _scalar;

    public static EphemeralKey Generate(IRandomSource random, IKeyAgreement? agreement = null) => Generate(random, agreement, null);

    /// <param name="secrets">Sees the scalar buffer from the first draw on (tests: it is wiped even when no draw is valid).</param>
    internal static EphemeralKey Generate(IRandomSource random, IKeyAgreement? agreement, SecretTracker? secrets)
    {
        agreement ??= CryptoProviders.Default.KeyAgreement;
        var scalar = secrets.Track("ephemeral scalar", new byte[IKeyAgreement.ScalarLength]);
        for (var attempt = 0; ; attempt++)
        {
            random.Fill(scalar);
            if (agreement.IsValidScalar(scalar))
                break;
            // The scalar was 0 or not below the group order (chance ~2^-32): draw again.
            if (attempt == 16)
            {
                CryptographicOperations.ZeroMemory(scalar);
                throw new CryptographicException("the random source gave no valid P-256 scalar in 17 draws");
            }
        }
        var encoded = new byte[HandshakeMessage.PublicKeyLength];
        agreement.PublicKey(scalar, encoded);
        return new EphemeralKey(scalar, encoded, agreement);
    }

    /// <summary>The raw ECDH shared secret with the peer's encoded public key; false if that is not a valid point.</summary>
    public bool TryAgree(ReadOnlySpan<byte> peerPublicKey, out byte[] secret)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        secret = new byte[IKeyAgreement.ScalarLength];
        if (_agreement.TryAgree(_scalar, peerPublicKey, secret))
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

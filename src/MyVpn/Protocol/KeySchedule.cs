using System.Security.Cryptography;
using System.Text;
using MyVpn.Crypto;

namespace MyVpn.Protocol;

/// <summary>
/// The handshake's key derivations (docs/protocol.md §3), all HKDF-SHA256 and SHA-256 over the
/// raw frames. Both sides build the same schedule step by step as the messages pass.
/// Every secret it derives is handed to the caller, who wipes it after use; the handshake secret
/// <c>hs</c> it holds is wiped by <see cref="Dispose"/>, and no copy of the ECDH secret or the PSK is made.
/// </summary>
public sealed class KeySchedule : IDisposable
{
    private static readonly byte[] HandshakeSalt = Encoding.ASCII.GetBytes("myvpn v1 handshake");
    private static readonly byte[] IdentityLabel = Encoding.ASCII.GetBytes("myvpn v1 identity");
    private static readonly byte[] ProofLabel = Encoding.ASCII.GetBytes("myvpn v1 client proof");
    private static readonly byte[] AcceptLabel = Encoding.ASCII.GetBytes("myvpn v1 server accept");

    /// <summary>The nonce of every handshake key's one message.</summary>
    private static readonly byte[] ZeroNonce = new byte[WireFormat.NonceLength];

    private readonly byte[] _handshakeSecret = new byte[WireFormat.KeyLength];
    private readonly SecretTracker? _secrets;
    private byte[] _transcript;

    /// <summary>Starts from the ECDH secret and the two hello frames: th1 = SHA-256(ClientHello | ServerHello).</summary>
    public KeySchedule(ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> clientHello, ReadOnlySpan<byte> serverHello)
        : this(sharedSecret, clientHello, serverHello, null)
    {
    }

    internal KeySchedule(ReadOnlySpan<byte> sharedSecret, ReadOnlySpan<byte> clientHello, ReadOnlySpan<byte> serverHello,
        SecretTracker? secrets)
    {
        _secrets = secrets;
        _secrets.Track("hs", _handshakeSecret);
        HKDF.Extract(HashAlgorithmName.SHA256, sharedSecret, HandshakeSalt, _handshakeSecret);
        _transcript = Hash(clientHello, serverHello);
    }

    /// <summary>hs, for tests that check it is wiped.</summary>
    internal ReadOnlySpan<byte> HandshakeSecret => _handshakeSecret;

    /// <summary>Wipes hs; nothing can be derived afterwards.</summary>
    public void Dispose() => CryptographicOperations.ZeroMemory(_handshakeSecret);

    /// <summary>The current transcript hash (th1, th2 or th3).</summary>
    public ReadOnlySpan<byte> Transcript => _transcript;

    /// <summary>k_id: encrypts the client's identity; from the ECDH secret alone.</summary>
    public byte[] IdentityKey() => _secrets.Track("k_id", Expand(_handshakeSecret, IdentityLabel, _transcript));

    /// <summary>th2 = SHA-256(th1 | the identity fields).</summary>
    public void AddIdentity(ReadOnlySpan<byte> identityFields) => _transcript = Hash(_transcript, identityFields);

    /// <summary>The proof a client with <paramref name="psk"/> gives: HMAC-SHA256(k_proof, th2).</summary>
    public byte[] ClientProof(ReadOnlySpan<byte> psk)
    {
        var auth = AuthSecret(psk);
        var proofKey = _secrets.Track("k_proof", Expand(auth, ProofLabel, []));
        CryptographicOperations.ZeroMemory(auth);
        var proof = HMACSHA256.HashData(proofKey, _transcript);
        CryptographicOperations.ZeroMemory(proofKey);
        return proof;
    }

    /// <summary>th3 = SHA-256(th2 | ClientAuth frame).</summary>
    public void AddClientAuth(ReadOnlySpan<byte> clientAuthFrame) => _transcript = Hash(_transcript, clientAuthFrame);

    /// <summary>k_accept: encrypts the server's grant; needs both the ECDH secret and the PSK.</summary>
    public byte[] AcceptKey(ReadOnlySpan<byte> psk)
    {
        var auth = AuthSecret(psk);
        var key = _secrets.Track("k_accept", Expand(auth, AcceptLabel, _transcript));
        CryptographicOperations.ZeroMemory(auth);
        return key;
    }

    /// <summary>auth = HKDF-Extract(salt = hs, ikm = PSK), straight from the caller's PSK (no copy of it).</summary>
    private byte[] AuthSecret(ReadOnlySpan<byte> psk)
    {
        var auth = _secrets.Track("auth", new byte[WireFormat.KeyLength]);
        HKDF.Extract(HashAlgorithmName.SHA256, psk, _handshakeSecret, auth);
        return auth;
    }

    private static byte[] Expand(byte[] prk, byte[] label, ReadOnlySpan<byte> context)
    {
        var info = new byte[label.Length + context.Length];
        label.CopyTo(info, 0);
        context.CopyTo(info.AsSpan(label.Length));
        return HKDF.Expand(HashAlgorithmName.SHA256, prk, WireFormat.KeyLength, info);
    }

    private static byte[] Hash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(first);
        hash.AppendData(second);
        return hash.GetHashAndReset();
    }

    /// <summary>
    /// AES-256-GCM with a zero nonce: each handshake key encrypts exactly one message. Returns
    /// ciphertext | tag; <paramref name="crypto"/> is <see cref="CryptoProviders.Default"/> unless given.
    /// </summary>
    public static byte[] Seal(byte[] key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, ICryptoProvider? crypto = null)
    {
        using var aes = (crypto ?? CryptoProviders.Default).CreateAead(key, encrypt: true);
        var sealedBytes = new byte[plaintext.Length + WireFormat.TagLength];
        plaintext.CopyTo(sealedBytes);
        aes.Seal(ZeroNonce, sealedBytes.AsSpan(0, plaintext.Length), sealedBytes.AsSpan(plaintext.Length), associatedData);
        return sealedBytes;
    }

    /// <summary>Opens what <see cref="Seal"/> made; false (and an all-zero <paramref name="plaintext"/>) if it does not verify.</summary>
    public static bool TryOpen(byte[] key, ReadOnlySpan<byte> sealedBytes, ReadOnlySpan<byte> associatedData, out byte[] plaintext,
        ICryptoProvider? crypto = null)
    {
        plaintext = new byte[sealedBytes.Length - WireFormat.TagLength];
        sealedBytes[..plaintext.Length].CopyTo(plaintext);
        using var aes = (crypto ?? CryptoProviders.Default).CreateAead(key, encrypt: false);
        return aes.TryOpen(ZeroNonce, plaintext, sealedBytes[plaintext.Length..], associatedData);
    }
}

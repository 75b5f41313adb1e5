using System.Buffers.Binary;
using MyVpn.Crypto;

namespace MyVpn.Protocol;

/// <summary>
/// The sending direction of a session's data channel: one AES-256-GCM key and the packet counter.
/// Seals in place on the caller's buffer and allocates nothing per packet.
/// </summary>
/// <remarks>
/// Not thread-safe: one thread at a time seals or disposes (the AES-GCM context, an <see cref="IAead"/>,
/// is not thread-safe, and the counter must move with it). <c>MyVpn.Tunnel.Session</c> is the thread-safe pair of
/// a sealer and a <see cref="SessionOpener"/>, each behind its own lock.
/// A datagram is <c>IV (16) | ciphertext | tag (16)</c>. The IV is the session id (u32, big-endian),
/// the packet counter (u64, big-endian) and four zero bytes. The nonce is the IV's first 12 bytes; all
/// 16 IV bytes are the associated data. An empty ciphertext is a keepalive.
/// </remarks>
public sealed class SessionSealer : IDisposable
{
    private readonly IAead _aes;

    /// <summary>
    /// The counter the next sealed packet carries (<see cref="NextCounter"/>). A field, so that a
    /// thread-safe owner can read it atomically without holding its seal lock.
    /// </summary>
    internal ulong Counter;

    private bool _disposed;

    /// <param name="crypto">Whose AES-GCM seals (<see cref="CryptoProviders.Default"/> unless given).</param>
    public SessionSealer(uint id, ReadOnlySpan<byte> key, ICryptoProvider? crypto = null)
    {
        // a key of another length than WireFormat.KeyLength is the provider's ArgumentException (ICryptoProvider.CreateAead)
        Id = id;
        _aes = (crypto ?? CryptoProviders.Default).CreateAead(key, encrypt: true);
    }

    public uint Id { get; }

    /// <summary>The counter the next sealed packet will carry.</summary>
    public ulong NextCounter => Counter;

    /// <summary>True once disposed.</summary>
    public bool IsClosed => _disposed;

    /// <summary>
    /// Seals in place. On entry the plaintext is at <c>datagram[16 .. 16 + plaintextLength)</c> and
    /// the buffer has 16 free bytes after it; on return the datagram fills
    /// <c>datagram[0 .. plaintextLength + 32)</c>. Returns false when the counter is exhausted or the
    /// sealer is disposed (<see cref="IsClosed"/> tells which).
    /// </summary>
    public bool TrySeal(Span<byte> datagram, int plaintextLength, out int datagramLength)
    {
        datagramLength = 0;
        // a length that does not fit is the caller's bug: an exception, and no counter value spent on it
        ArgumentOutOfRangeException.ThrowIfNegative(plaintextLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(plaintextLength, datagram.Length - WireFormat.Overhead);
        var counter = Counter;
        if (_disposed || counter >= WireFormat.MaxCounter)
            return false;
        Counter = counter + 1;
        var iv = datagram[..WireFormat.IvLength];
        BinaryPrimitives.WriteUInt32BigEndian(iv, Id);
        BinaryPrimitives.WriteUInt64BigEndian(iv[4..], counter);
        BinaryPrimitives.WriteUInt32BigEndian(iv[12..], 0);
        var text = datagram.Slice(WireFormat.IvLength, plaintextLength);
        var tag = datagram.Slice(WireFormat.IvLength + plaintextLength, WireFormat.TagLength);
        _aes.Seal(iv[..WireFormat.NonceLength], text, tag, iv);
        datagramLength = plaintextLength + WireFormat.Overhead;
        return true;
    }

    /// <summary>Frees the key; sealing afterwards returns false.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _aes.Dispose();
    }
}

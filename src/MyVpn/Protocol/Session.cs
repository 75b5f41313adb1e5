using System.Buffers.Binary;
using MyVpn.Crypto;

namespace MyVpn.Protocol;

/// <summary>
/// The data channel of one session: seals outgoing packets and opens incoming ones with
/// AES-256-GCM, one key per direction, a counter IV and a replay window. Works in place on the
/// caller's buffer and allocates nothing per packet.
/// </summary>
/// <remarks>
/// Threads: sealing and opening may run at once (the tun thread seals while a socket's thread
/// opens). Each side has its own lock (the monitor of its state object), because one <see cref="IAead"/> must not be used
/// by two threads at once (with OpenSSL it is one cipher context) and the counter and the
/// replay window must move as one with it. The locks are uncontended in the usual case (one sealing
/// thread, one opening thread), so each costs tens of nanoseconds against a microsecond of AES-GCM.
/// After <see cref="Dispose"/> both sides fail safely: <see cref="TrySeal"/> returns false and
/// <see cref="TryOpen"/> reports <see cref="DropReason.SessionClosed"/>, never an exception.
/// </remarks>
/// <remarks>
/// A datagram is <c>IV (16) | ciphertext | tag (16)</c>. The IV is the session id (u32, big-endian),
/// the sender's packet counter (u64, big-endian) and four zero bytes. The nonce is the IV's first
/// 12 bytes; all 16 IV bytes are the associated data. An empty ciphertext is a keepalive.
/// </remarks>
public sealed class Session : IDisposable
{
    private readonly byte[] _spacerBefore;
    private readonly Sealer _sealer;
    private readonly byte[] _spacerBetween;
    private readonly Opener _opener;
    private volatile bool _disposed;

    /// <param name="crypto">Whose AES-GCM seals and opens (<see cref="CryptoProviders.Default"/> unless given).</param>
    public Session(uint id, ReadOnlySpan<byte> sealKey, ReadOnlySpan<byte> openKey, ICryptoProvider? crypto = null)
    {
        crypto ??= CryptoProviders.Default;
        if (sealKey.Length != WireFormat.KeyLength || openKey.Length != WireFormat.KeyLength)
            throw new ArgumentException("data keys are 32 bytes");
        Id = id;
        // Each side's state is written on every packet by its own thread (the lock word, the counter,
        // the replay window). Allocated in this order with spacers between, the two sides and this
        // object (read by both) do not share a cache line, so they do not slow each other down.
        _spacerBefore = new byte[CacheLine];
        _sealer = new Sealer(crypto.CreateAead(sealKey, encrypt: true));
        _spacerBetween = new byte[CacheLine];
        try
        {
            _opener = new Opener(crypto.CreateAead(openKey, encrypt: false));
        }
        catch
        {
            _sealer.Aes.Dispose(); // not left to the handle's finalizer
            throw;
        }
    }

    private const int CacheLine = 64;

    public uint Id { get; }

    /// <summary>The counter the next sealed packet will carry.</summary>
    public ulong NextCounter => Interlocked.Read(ref _sealer.Counter);

    /// <summary>
    /// Seals in place. On entry the plaintext is at <c>datagram[16 .. 16 + plaintextLength)</c> and
    /// the buffer has 16 free bytes after it; on return the datagram fills
    /// <c>datagram[0 .. plaintextLength + 32)</c>. Returns false when the counter is exhausted or the
    /// session is disposed (<see cref="IsClosed"/> tells which).
    /// </summary>
    public bool TrySeal(Span<byte> datagram, int plaintextLength, out int datagramLength)
    {
        lock (_sealer)
            return SealLocked(datagram, plaintextLength, out datagramLength);
    }

    /// <summary>True once the session is disposed.</summary>
    public bool IsClosed => _disposed;

    private bool SealLocked(Span<byte> datagram, int plaintextLength, out int datagramLength)
    {
        datagramLength = 0;
        // a length that does not fit is the caller's bug: an exception, and no counter value spent on it
        ArgumentOutOfRangeException.ThrowIfNegative(plaintextLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(plaintextLength, datagram.Length - WireFormat.Overhead);
        var counter = _sealer.Counter;
        if (_disposed || counter >= WireFormat.MaxCounter)
            return false;
        Interlocked.Exchange(ref _sealer.Counter, counter + 1); // NextCounter reads it without the lock
        var iv = datagram[..WireFormat.IvLength];
        BinaryPrimitives.WriteUInt32BigEndian(iv, Id);
        BinaryPrimitives.WriteUInt64BigEndian(iv[4..], counter);
        BinaryPrimitives.WriteUInt32BigEndian(iv[12..], 0);
        var text = datagram.Slice(WireFormat.IvLength, plaintextLength);
        var tag = datagram.Slice(WireFormat.IvLength + plaintextLength, WireFormat.TagLength);
        _sealer.Aes.Seal(iv[..WireFormat.NonceLength], text, tag, iv);
        datagramLength = plaintextLength + WireFormat.Overhead;
        return true;
    }

    /// <summary>
    /// Opens in place: on success the inner packet is at <c>datagram[16 .. 16 + plaintextLength)</c>
    /// (length 0 is a keepalive). On failure returns false with the reason; nothing is marked in the
    /// replay window, and the buffer's contents are undefined.
    /// </summary>
    public bool TryOpen(Span<byte> datagram, out int plaintextLength, out DropReason reason) =>
        TryOpen(datagram, out plaintextLength, out reason, out _);

    /// <summary>
    /// Opens as <see cref="TryOpen(Span{byte}, out int, out DropReason)"/> does; <paramref name="advanced"/>
    /// tells whether the datagram's counter is higher than any opened before under these keys (the first
    /// authentic datagram under fresh keys is). Only such a datagram may move a session's endpoint: a
    /// duplicate or a withheld-then-replayed older one cannot.
    /// </summary>
    public bool TryOpen(Span<byte> datagram, out int plaintextLength, out DropReason reason, out bool advanced)
    {
        lock (_opener)
            return OpenLocked(datagram, out plaintextLength, out reason, out advanced);
    }

    /// <summary>The highest counter opened so far (0 before any): the peer's sending counter, for the soft limit.</summary>
    public ulong HighestOpened => Interlocked.Read(ref _opener.Highest);

    private bool OpenLocked(Span<byte> datagram, out int plaintextLength, out DropReason reason, out bool advanced)
    {
        plaintextLength = 0;
        advanced = false;
        if (_disposed)
        {
            reason = DropReason.SessionClosed;
            return false;
        }
        if (!TryReadHeader(datagram, out var counter, out reason))
            return false;
        if (BinaryPrimitives.ReadUInt32BigEndian(datagram) != Id)
        {
            reason = DropReason.WrongSession;
            return false;
        }
        if (!_opener.Replay.CanAccept(counter))
        {
            reason = DropReason.Replayed;
            return false;
        }
        var length = datagram.Length - WireFormat.Overhead;
        var iv = datagram[..WireFormat.IvLength];
        var text = datagram.Slice(WireFormat.IvLength, length);
        var tag = datagram.Slice(WireFormat.IvLength + length, WireFormat.TagLength);
        if (!_opener.Aes.TryOpen(iv[..WireFormat.NonceLength], text, tag, iv))
        {
            reason = DropReason.AuthenticationFailed;
            return false;
        }
        advanced = _opener.Replay.IsAhead(counter);
        _opener.Replay.Mark(counter);
        if (advanced)
            Interlocked.Exchange(ref _opener.Highest, counter); // HighestOpened reads it without the lock
        plaintextLength = length;
        return true;
    }

    /// <summary>Checks the outer shape of a data datagram and reads its counter.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> datagram, out ulong counter, out DropReason reason)
    {
        counter = 0;
        reason = default;
        if (datagram.Length < WireFormat.Overhead)
        {
            reason = DropReason.DatagramTooShort;
            return false;
        }
        if (datagram.Length > WireFormat.MaxInnerPacket + WireFormat.Overhead)
        {
            reason = DropReason.DatagramTooLong;
            return false;
        }
        if (BinaryPrimitives.ReadUInt32BigEndian(datagram[12..]) != 0)
        {
            reason = DropReason.WrongSession;
            return false;
        }
        counter = BinaryPrimitives.ReadUInt64BigEndian(datagram[4..]);
        return true;
    }

    /// <summary>Frees the keys; waits for a seal or open in progress on another thread to finish.</summary>
    public void Dispose()
    {
        lock (_sealer)
        {
            lock (_opener)
            {
                if (_disposed)
                    return;
                _disposed = true;
                _sealer.Aes.Dispose();
                _opener.Aes.Dispose();
            }
        }
    }

    /// <summary>The sending side: its key and counter; its monitor is the seal lock.</summary>
    internal sealed class Sealer(IAead aes)
    {
        public readonly IAead Aes = aes;
        public ulong Counter;
    }

    /// <summary>The receiving side: its key and replay window; its monitor is the open lock.</summary>
    private sealed class Opener(IAead aes)
    {
        public readonly IAead Aes = aes;
        public readonly ReplayWindow Replay = new();
        public ulong Highest;
    }
}

using System.Buffers.Binary;
using MyVpn.Crypto;

namespace MyVpn.Protocol;

/// <summary>
/// The receiving direction of a session's data channel: one AES-256-GCM key, the replay window and
/// the highest counter opened. Opens in place on the caller's buffer and allocates nothing per packet.
/// </summary>
/// <remarks>
/// Not thread-safe: one thread at a time opens or disposes (the AES-GCM context, an <see cref="IAead"/>,
/// is not thread-safe, and the replay window must move with it). <c>MyVpn.Tunnel.Session</c> is the thread-safe
/// pair of a <see cref="SessionSealer"/> and an opener, each behind its own lock. The datagram's
/// layout is <see cref="SessionSealer"/>'s.
/// </remarks>
public sealed class SessionOpener : IDisposable
{
    private readonly IAead _aes;
    private readonly ReplayWindow _replay = new();

    /// <summary>
    /// The highest counter opened so far (<see cref="HighestOpened"/>). A field, so that a thread-safe
    /// owner can read it atomically without holding its open lock.
    /// </summary>
    internal ulong Highest;

    private bool _disposed;

    /// <param name="crypto">Whose AES-GCM opens (<see cref="CryptoProviders.Default"/> unless given).</param>
    public SessionOpener(uint id, ReadOnlySpan<byte> key, ICryptoProvider? crypto = null)
    {
        // a key of another length than WireFormat.KeyLength is the provider's ArgumentException (ICryptoProvider.CreateAead)
        Id = id;
        _aes = (crypto ?? CryptoProviders.Default).CreateAead(key, encrypt: false);
    }

    public uint Id { get; }

    /// <summary>The highest counter opened so far (0 before any): the peer's sending counter, for the soft limit.</summary>
    public ulong HighestOpened => Highest;

    /// <summary>True once disposed.</summary>
    public bool IsClosed => _disposed;

    /// <summary>
    /// Opens in place: on success the inner packet is at <c>datagram[16 .. 16 + plaintextLength)</c>
    /// (length 0 is a keepalive). On failure returns false with the reason; nothing is marked in the
    /// replay window, and the buffer's contents are undefined. After <see cref="Dispose"/> every datagram
    /// is dropped as <see cref="DropReason.SessionClosed"/>.
    /// </summary>
    public bool TryOpen(Span<byte> datagram, out int plaintextLength, out DropReason reason) =>
        TryOpen(datagram, out plaintextLength, out reason, out _);

    /// <summary>
    /// Opens as <see cref="TryOpen(Span{byte}, out int, out DropReason)"/> does; <paramref name="advanced"/>
    /// tells whether the datagram's counter is higher than any opened before under this key (the first
    /// authentic datagram under a fresh key is). Only such a datagram may move a session's endpoint: a
    /// duplicate or a withheld-then-replayed older one cannot.
    /// </summary>
    public bool TryOpen(Span<byte> datagram, out int plaintextLength, out DropReason reason, out bool advanced)
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
        if (!_replay.CanAccept(counter))
        {
            reason = DropReason.Replayed;
            return false;
        }
        var length = datagram.Length - WireFormat.Overhead;
        var iv = datagram[..WireFormat.IvLength];
        var text = datagram.Slice(WireFormat.IvLength, length);
        var tag = datagram.Slice(WireFormat.IvLength + length, WireFormat.TagLength);
        if (!_aes.TryOpen(iv[..WireFormat.NonceLength], text, tag, iv))
        {
            reason = DropReason.AuthenticationFailed;
            return false;
        }
        advanced = _replay.IsAhead(counter);
        _replay.Mark(counter);
        if (advanced)
            Highest = counter;
        plaintextLength = length;
        return true;
    }

    /// <summary>
    /// Checks the outer shape of a data datagram (its length, the IV's four zero bytes) and reads its
    /// counter. The session id and the tag are checked by <see cref="TryOpen(Span{byte}, out int, out DropReason, out bool)"/>.
    /// </summary>
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

    /// <summary>Frees the key; opening afterwards drops every datagram as <see cref="DropReason.SessionClosed"/>.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _aes.Dispose();
    }
}

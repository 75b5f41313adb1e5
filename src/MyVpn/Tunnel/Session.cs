using MyVpn.Crypto;
using MyVpn.Protocol;

namespace MyVpn.Tunnel;

/// <summary>
/// The data channel of one session as the engines share it between threads: a
/// <see cref="SessionSealer"/> and a <see cref="SessionOpener"/> (the wire format, the counter, the
/// replay window and every check are theirs), each behind its own lock. Works in place on the
/// caller's buffer and allocates nothing per packet.
/// </summary>
/// <remarks>
/// Threads: sealing and opening may run at once (the tun thread seals while a socket's thread opens).
/// Each direction has its own lock, the monitor of its sealer or opener, because one AES-GCM context
/// must not be used by two threads at once (with OpenSSL it is one cipher context) and the counter and
/// the replay window must move as one with it. The locks are uncontended in the usual case (one
/// sealing thread, one opening thread), so each costs tens of nanoseconds against a microsecond of
/// AES-GCM. <see cref="NextCounter"/> and <see cref="HighestOpened"/> are read atomically without
/// the locks. After <see cref="Dispose"/> both directions fail safely: <see cref="TrySeal"/> returns
/// false and <see cref="TryOpen(Span{byte}, out int, out DropReason)"/> reports
/// <see cref="DropReason.SessionClosed"/>, never an exception.
/// </remarks>
public sealed class Session : IDisposable
{
    private const int CacheLine = 64;

    private readonly byte[] _spacerBefore;
    private readonly SessionSealer _sealer;
    private readonly byte[] _spacerBetween;
    private readonly SessionOpener _opener;
    private volatile bool _disposed;

    /// <param name="crypto">Whose AES-GCM seals and opens (<see cref="CryptoProviders.Default"/> unless given).</param>
    public Session(uint id, ReadOnlySpan<byte> sealKey, ReadOnlySpan<byte> openKey, ICryptoProvider? crypto = null)
    {
        // a key of another length than WireFormat.KeyLength is the provider's ArgumentException (ICryptoProvider.CreateAead)
        Id = id;
        // Each direction's state is written on every packet by its own thread (the lock word, the counter,
        // the replay window). Allocated in this order with spacers between, the two directions and this
        // object (read by both) do not share a cache line, so they do not slow each other down.
        _spacerBefore = new byte[CacheLine];
        _sealer = new SessionSealer(id, sealKey, crypto);
        _spacerBetween = new byte[CacheLine];
        try
        {
            _opener = new SessionOpener(id, openKey, crypto);
        }
        catch
        {
            _sealer.Dispose(); // not left to the handle's finalizer
            throw;
        }
    }

    /// <summary>A <see cref="DataChannelFactory{TChannel}"/> for the handshakes.</summary>
    public static Session Create(uint id, ReadOnlySpan<byte> sealKey, ReadOnlySpan<byte> openKey) => new(id, sealKey, openKey);

    public uint Id { get; }

    /// <summary>The counter the next sealed packet will carry.</summary>
    public ulong NextCounter => Interlocked.Read(ref _sealer.Counter);

    /// <summary>The highest counter opened so far (0 before any): the peer's sending counter, for the soft limit.</summary>
    public ulong HighestOpened => Interlocked.Read(ref _opener.Highest);

    /// <summary>True once the session is disposed.</summary>
    public bool IsClosed => _disposed;

    /// <summary>Seals in place under the seal lock: <see cref="SessionSealer.TrySeal"/>.</summary>
    public bool TrySeal(Span<byte> datagram, int plaintextLength, out int datagramLength)
    {
        lock (_sealer)
            return _sealer.TrySeal(datagram, plaintextLength, out datagramLength);
    }

    /// <summary>Opens in place under the open lock: <see cref="SessionOpener.TryOpen(Span{byte}, out int, out DropReason)"/>.</summary>
    public bool TryOpen(Span<byte> datagram, out int plaintextLength, out DropReason reason) =>
        TryOpen(datagram, out plaintextLength, out reason, out _);

    /// <summary>Opens in place under the open lock: <see cref="SessionOpener.TryOpen(Span{byte}, out int, out DropReason, out bool)"/>.</summary>
    public bool TryOpen(Span<byte> datagram, out int plaintextLength, out DropReason reason, out bool advanced)
    {
        lock (_opener)
            return _opener.TryOpen(datagram, out plaintextLength, out reason, out advanced);
    }

    /// <summary>Frees the keys; waits for a seal or open in progress on another thread to finish.</summary>
    public void Dispose()
    {
        lock (_sealer)
        {
            lock (_opener)
            {
                _disposed = true;
                _sealer.Dispose(); // each frees its key once, so a second Dispose does nothing
                _opener.Dispose();
            }
        }
    }
}

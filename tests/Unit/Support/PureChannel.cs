using MyVpn.Crypto;
using MyVpn.Protocol;

namespace MyVpn.Tests.Unit.Support;

/// <summary>
/// Both directions of a session as a single-threaded user builds them from a handshake: a
/// <see cref="SessionSealer"/> and a <see cref="SessionOpener"/>, no locks. Used by the tests of the
/// pure core (the handshakes), which need no threads.
/// </summary>
public sealed record PureChannel(SessionSealer Sealer, SessionOpener Opener) : IDisposable
{
    /// <summary>A <see cref="DataChannelFactory{TChannel}"/> for the handshakes.</summary>
    public static PureChannel Create(uint id, ReadOnlySpan<byte> sealKey, ReadOnlySpan<byte> openKey) =>
        Create(id, sealKey, openKey, null);

    /// <summary>A <see cref="DataChannelFactory{TChannel}"/> whose channels use <paramref name="crypto"/>'s AES-GCM.</summary>
    public static DataChannelFactory<PureChannel> Factory(ICryptoProvider crypto) =>
        (id, sealKey, openKey) => Create(id, sealKey, openKey, crypto);

    private static PureChannel Create(uint id, ReadOnlySpan<byte> sealKey, ReadOnlySpan<byte> openKey, ICryptoProvider? crypto)
    {
        var sealer = new SessionSealer(id, sealKey, crypto);
        try
        {
            return new PureChannel(sealer, new SessionOpener(id, openKey, crypto));
        }
        catch
        {
            sealer.Dispose();
            throw;
        }
    }

    public uint Id => Sealer.Id;

    public bool TrySeal(Span<byte> datagram, int plaintextLength, out int datagramLength) =>
        Sealer.TrySeal(datagram, plaintextLength, out datagramLength);

    public bool TryOpen(Span<byte> datagram, out int plaintextLength, out DropReason reason) =>
        Opener.TryOpen(datagram, out plaintextLength, out reason);

    public void Dispose()
    {
        Sealer.Dispose();
        Opener.Dispose();
    }
}

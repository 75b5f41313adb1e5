using MyVpn.Crypto;
using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using MyVpn.Tunnel;
using Xunit;

namespace MyVpn.Tests.Unit.Tunnel;

/// <summary>
/// How a <see cref="Session"/> ends: disposing it frees both AES-GCM contexts (the keys live in them) and
/// closes both directions safely; a session whose second context cannot be made frees the first at once.
/// </summary>
public sealed class SessionLifetimeTests
{
    [Fact]
    public void Dispose_frees_both_directions_keys_and_both_then_refuse_safely()
    {
        var crypto = new RecordingCrypto();
        var session = DataVector.ClientSession(crypto);
        var datagram = DataVector.Seal(DataVector.ServerSession(), DataVector.Plaintext);
        Assert.False(session.IsClosed);
        Assert.Equal(2, crypto.Contexts.Count);
        Assert.All(crypto.Contexts, aead => Assert.False(aead.Disposed));

        session.Dispose();

        Assert.True(session.IsClosed);
        Assert.All(crypto.Contexts, aead => Assert.True(aead.Disposed));
        Assert.False(session.TrySeal(new byte[64], 8, out var length));
        Assert.Equal(0, length);
        Assert.False(session.TryOpen(datagram, out _, out var reason));
        Assert.Equal(DropReason.SessionClosed, reason);
        Assert.Equal(0UL, session.NextCounter); // the refused seal spent no counter value
    }

    [Fact]
    public void Disposing_twice_frees_each_context_once()
    {
        var crypto = new RecordingCrypto();
        var session = DataVector.ServerSession(crypto);

        session.Dispose();
        session.Dispose();

        Assert.All(crypto.Contexts, aead => Assert.Equal(1, aead.DisposeCalls));
    }

    [Fact]
    public void A_session_whose_opening_context_fails_frees_the_sealing_one_and_throws()
    {
        var crypto = new RecordingCrypto { FailOnContext = 2 };

        var error = Assert.Throws<InvalidOperationException>(() => DataVector.ClientSession(crypto));

        Assert.Equal("no second context", error.Message);
        var sealing = Assert.Single(crypto.Contexts);
        Assert.True(sealing.Disposed);
    }

    [Fact]
    public void Each_direction_gets_its_own_key_and_mode()
    {
        var crypto = new RecordingCrypto();
        using var session = DataVector.ClientSession(crypto);

        Assert.Equal([true, false], crypto.Contexts.Select(c => c.Encrypt));
        Assert.Equal(DataVector.ClientToServerKey, crypto.Contexts[0].Key);
        Assert.Equal(DataVector.ServerToClientKey, crypto.Contexts[1].Key);
        Assert.Equal(DataVector.SessionId, session.Id);
    }

    /// <summary>The default provider's AES-GCM, with every context it made recorded (and, on request, the Nth refused).</summary>
    private sealed class RecordingCrypto : ICryptoProvider
    {
        public List<RecordingAead> Contexts { get; } = [];
        public int FailOnContext { get; init; }
        public string Name => "recording";
        public IKeyAgreement KeyAgreement => CryptoProviders.Default.KeyAgreement;

        public IAead CreateAead(ReadOnlySpan<byte> key, bool encrypt)
        {
            if (Contexts.Count + 1 == FailOnContext)
                throw new InvalidOperationException("no second context");
            var aead = new RecordingAead(CryptoProviders.Default.CreateAead(key, encrypt), key.ToArray(), encrypt);
            Contexts.Add(aead);
            return aead;
        }
    }

    private sealed class RecordingAead(IAead inner, byte[] key, bool encrypt) : IAead
    {
        public byte[] Key => key;
        public bool Encrypt => encrypt;
        public int DisposeCalls { get; private set; }
        public bool Disposed => DisposeCalls > 0;

        public void Seal(ReadOnlySpan<byte> nonce, Span<byte> text, Span<byte> tag, ReadOnlySpan<byte> associated) =>
            inner.Seal(nonce, text, tag, associated);

        public bool TryOpen(ReadOnlySpan<byte> nonce, Span<byte> text, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> associated) =>
            inner.TryOpen(nonce, text, tag, associated);

        public void Dispose()
        {
            DisposeCalls++;
            inner.Dispose();
        }
    }
}

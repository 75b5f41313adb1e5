using MyVpn.Crypto;
using MyVpn.Protocol;
using Xunit;

namespace MyVpn.Tests.Unit.Protocol;

/// <summary>
/// What a <see cref="SessionSealer"/> and a <see cref="SessionOpener"/> do with their key: each builds its AES-GCM
/// context from the provider it is given, in the right direction, and disposing frees that context (the expanded
/// key) exactly once, however often it is disposed. Also that a sealed IV's reserved bytes are zero whatever the
/// buffer held before.
/// </summary>
public sealed class SessionKeyLifetimeTests
{
    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    /// <summary>A provider that records every AES-GCM context it makes and how often each is disposed.</summary>
    private sealed class RecordingProvider : ICryptoProvider
    {
        private readonly ICryptoProvider _inner = CryptoProviders.DotNet;

        public List<(bool Encrypt, RecordingAead Aead)> Made { get; } = [];

        public string Name => "recording";

        public IKeyAgreement KeyAgreement => _inner.KeyAgreement;

        public IAead CreateAead(ReadOnlySpan<byte> key, bool encrypt)
        {
            var aead = new RecordingAead(_inner.CreateAead(key, encrypt));
            Made.Add((encrypt, aead));
            return aead;
        }
    }

    private sealed class RecordingAead(IAead inner) : IAead
    {
        public int Disposals { get; private set; }

        public void Seal(ReadOnlySpan<byte> nonce, Span<byte> text, Span<byte> tag, ReadOnlySpan<byte> associated) =>
            inner.Seal(nonce, text, tag, associated);

        public bool TryOpen(ReadOnlySpan<byte> nonce, Span<byte> text, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> associated) =>
            inner.TryOpen(nonce, text, tag, associated);

        public void Dispose()
        {
            Disposals++;
            inner.Dispose();
        }
    }

    [Fact]
    public void Sealer_seals_with_the_given_providers_context_and_frees_it_once()
    {
        var provider = new RecordingProvider();
        var sealer = new SessionSealer(7, Key, provider);
        var (encrypt, aead) = Assert.Single(provider.Made);
        Assert.True(encrypt);
        Assert.True(sealer.TrySeal(new byte[40], 8, out _));

        sealer.Dispose();
        sealer.Dispose();

        Assert.Equal(1, aead.Disposals);
    }

    [Fact]
    public void Opener_opens_with_the_given_providers_context_and_frees_it_once()
    {
        var provider = new RecordingProvider();
        using var sealer = new SessionSealer(7, Key, provider);
        var opener = new SessionOpener(7, Key, provider);
        var (encrypt, aead) = provider.Made[1];
        Assert.False(encrypt);
        var datagram = new byte[40];
        Assert.True(sealer.TrySeal(datagram, 8, out _));
        Assert.True(opener.TryOpen(datagram, out _, out _));

        opener.Dispose();
        opener.Dispose();

        Assert.Equal(1, aead.Disposals);
    }

    [Fact]
    public void Sealing_writes_zero_reserved_iv_bytes_over_whatever_the_buffer_held()
    {
        using var sealer = new SessionSealer(7, Key, CryptoProviders.DotNet);
        using var opener = new SessionOpener(7, Key, CryptoProviders.DotNet);
        var datagram = Enumerable.Repeat((byte)0xff, 40).ToArray();

        Assert.True(sealer.TrySeal(datagram, 8, out var length));

        Assert.Equal(new byte[4], datagram[12..16]);
        Assert.True(opener.TryOpen(datagram.AsSpan(0, length), out var plaintextLength, out _));
        Assert.Equal(8, plaintextLength);
    }
}

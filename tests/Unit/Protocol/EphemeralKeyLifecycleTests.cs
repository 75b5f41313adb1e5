using System.Security.Cryptography;
using MyVpn.Crypto;
using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Protocol;

/// <summary>
/// An ephemeral key's life: drawn until the random source gives a valid scalar (at most 17 draws),
/// used once, then wiped and unusable. Also the system random source and the tracker the handshake
/// tests see secrets through.
/// </summary>
public sealed class EphemeralKeyLifecycleTests
{
    /// <summary>Gives <paramref name="invalid"/> all-zero scalars (never valid), then seeded bytes.</summary>
    private sealed class InvalidFirst(int invalid) : IRandomSource
    {
        private readonly TestRandom _rest = new(3);

        public int Draws { get; private set; }

        public void Fill(Span<byte> destination)
        {
            if (Draws++ < invalid)
                destination.Clear();
            else
                _rest.Fill(destination);
        }
    }

    [Fact]
    public void Sixteen_invalid_draws_then_a_valid_one_make_a_key_from_the_seventeenth()
    {
        var random = new InvalidFirst(16);
        using var key = EphemeralKey.Generate(random);

        Assert.Equal(17, random.Draws);
        Assert.True(key.Scalar.AsSpan().ContainsAnyExcept((byte)0));
        Assert.Equal(HandshakeMessage.PublicKeyLength, key.PublicKey.Length);
        Assert.Equal(4, key.PublicKey[0]);
    }

    [Fact]
    public void Seventeen_invalid_draws_throw_after_exactly_seventeen()
    {
        var random = new InvalidFirst(17);
        var error = Assert.Throws<CryptographicException>(() => EphemeralKey.Generate(random));

        Assert.Equal(17, random.Draws);
        Assert.Contains("17 draws", error.Message);
    }

    [Fact]
    public void Disposed_key_is_wiped_and_refuses_to_agree()
    {
        var key = EphemeralKey.Generate(new TestRandom(4));
        using var peer = EphemeralKey.Generate(new TestRandom(5));

        key.Dispose();

        Assert.False(key.Scalar.AsSpan().ContainsAnyExcept((byte)0));
        Assert.Throws<ObjectDisposedException>(() => key.TryAgree(peer.PublicKey, out _));
    }

    [Fact]
    public void Agreement_with_a_point_off_the_curve_gives_no_secret()
    {
        using var key = EphemeralKey.Generate(new TestRandom(4));
        var offCurve = new byte[HandshakeMessage.PublicKeyLength];
        offCurve[0] = 4;
        offCurve[1] = 1;

        Assert.False(key.TryAgree(offCurve, out var secret));
        Assert.Empty(secret);
    }

    [Fact]
    public void Two_keys_agree_on_one_32_byte_secret()
    {
        using var a = EphemeralKey.Generate(new TestRandom(4));
        using var b = EphemeralKey.Generate(new TestRandom(5));

        Assert.True(a.TryAgree(b.PublicKey, out var ab));
        Assert.True(b.TryAgree(a.PublicKey, out var ba));

        Assert.Equal(32, ab.Length);
        Assert.Equal(ab, ba);
    }

    [Fact]
    public void System_random_source_fills_every_byte_it_is_given()
    {
        var first = new byte[64];
        var second = new byte[64];
        SystemRandomSource.Instance.Fill(first);
        SystemRandomSource.Instance.Fill(second);

        // Two all-zero or equal 64-byte draws have a chance of 2^-512.
        Assert.True(first.AsSpan().ContainsAnyExcept((byte)0));
        Assert.True(first.AsSpan(32).ContainsAnyExcept((byte)0));
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Secret_tracker_lists_names_once_and_only_the_buffers_still_holding_bytes()
    {
        var tracker = new SecretTracker();
        var a = tracker.Track("k", [1, 2]);
        var b = tracker.Track("k", [3]);
        var c = tracker.Track("other", [0]);

        Assert.Equal(["k", "other"], tracker.Names);
        Assert.Equal(3, tracker.Buffers.Count);
        Assert.Same(a, tracker.Buffers[0].Bytes);
        Assert.Equal(["k", "k"], tracker.NotWiped);
        a.AsSpan().Clear();
        Assert.Equal(["k"], tracker.NotWiped);
        b[0] = 0;
        Assert.Empty(tracker.NotWiped);
        Assert.Same(c, tracker.Buffers[2].Bytes);
    }

    [Fact]
    public void Tracking_without_a_tracker_returns_the_same_buffer()
    {
        SecretTracker? none = null;
        var bytes = new byte[] { 9 };
        Assert.Same(bytes, none.Track("x", bytes));
    }
}


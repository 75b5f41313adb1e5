using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using MyVpn.Crypto;
using Xunit;

namespace MyVpn.Tests.Unit.Crypto;

/// <summary>
/// Each <see cref="IAead"/> against .NET's <see cref="AesGcm"/> used directly: the same bytes sealed, each
/// other's output opened, every kind of tampering refused with the text wiped, and misuse (wrong
/// lengths, wrong direction, use after dispose) an exception, never a wrong answer.
/// </summary>
public sealed partial class AeadTests
{
    private static readonly int[] Lengths = [0, 1, 15, 16, 17, 84, 1420, 1500];

    public static TheoryData<string> Names => Providers.Names;
    public static TheoryData<string, int> AssociatedLengths => Providers.With(16, 0);
    public static TheoryData<string, string> TamperedParts => Providers.With("text", "tag", "associated", "nonce", "key");

    [Theory]
    [MemberData(nameof(AssociatedLengths))]
    public void Seals_exactly_what_dotnet_AesGcm_seals_and_each_opens_the_other(string provider, int associatedLength)
    {
        var crypto = Providers.Get(provider);
        foreach (var length in Lengths)
        {
            var (key, nonce, associated, plain) = Inputs(length);
            associated = associated[..associatedLength];
            using var reference = new AesGcm(key, 16);
            var expected = new byte[length];
            var expectedTag = new byte[16];
            reference.Encrypt(nonce, plain, expected, expectedTag, associated);

            using var sealer = crypto.CreateAead(key, encrypt: true);
            var text = plain.ToArray();
            var tag = new byte[16];
            sealer.Seal(nonce, text, tag, associated);
            Assert.Equal(expected, text);
            Assert.Equal(expectedTag, tag);

            using var opener = crypto.CreateAead(key, encrypt: false);
            Assert.True(opener.TryOpen(nonce, text, tag, associated));
            Assert.Equal(plain, text);

            var back = new byte[length];
            reference.Decrypt(nonce, expected, expectedTag, back, associated);
            Assert.Equal(plain, back);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void One_context_seals_many_packets_each_with_its_own_nonce(string provider)
    {
        var crypto = Providers.Get(provider);
        var (key, _, associated, plain) = Inputs(84);
        using var reference = new AesGcm(key, 16);
        using var sealer = crypto.CreateAead(key, encrypt: true);
        for (byte counter = 0; counter < 5; counter++)
        {
            var nonce = new byte[12];
            nonce[11] = counter;
            var expected = new byte[84];
            var expectedTag = new byte[16];
            reference.Encrypt(nonce, plain, expected, expectedTag, associated);
            var text = plain.ToArray();
            var tag = new byte[16];
            sealer.Seal(nonce, text, tag, associated);
            Assert.Equal(expected, text);
            Assert.Equal(expectedTag, tag);
        }
    }

    [Theory]
    [MemberData(nameof(TamperedParts))]
    public void A_changed_bit_anywhere_is_refused_the_text_wiped_and_no_OpenSSL_error_left(string provider, string where)
    {
        var crypto = Providers.Get(provider);
        var (key, nonce, associated, plain) = Inputs(84);
        var tag = new byte[16];
        var text = plain.ToArray();
        using (var sealer = crypto.CreateAead(key, encrypt: true))
            sealer.Seal(nonce, text, tag, associated);
        switch (where)
        {
            case "text": text[40] ^= 0x01; break;
            case "tag": tag[15] ^= 0x80; break;
            case "associated": associated[0] ^= 0x01; break;
            case "nonce": nonce[5] ^= 0x01; break;
            case "key": key[31] ^= 0x01; break;
        }

        using var opener = crypto.CreateAead(key, encrypt: false);
        Assert.False(opener.TryOpen(nonce, text, tag, associated));
        Assert.All(text, b => Assert.Equal(0, b));
        Assert.Equal(0ul, (ulong)ERR_peek_error());

        // the context still works for the next, genuine datagram
        switch (where)
        {
            case "associated": associated[0] ^= 0x01; break;
            case "nonce": nonce[5] ^= 0x01; break;
        }
        var fresh = plain.ToArray();
        var freshTag = new byte[16];
        using (var sealer = crypto.CreateAead(where == "key" ? Flip(key) : key, encrypt: true))
            sealer.Seal(nonce, fresh, freshTag, associated);
        if (where == "key")
            return;
        Assert.True(opener.TryOpen(nonce, fresh, freshTag, associated));
        Assert.Equal(plain, fresh);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_packet_presented_with_the_previous_packets_tag_is_refused(string provider)
    {
        var crypto = Providers.Get(provider);
        // OpenSSL keeps the last tag in the context: the open must set each packet's own tag, all 16 bytes
        var (key, _, associated, plain) = Inputs(84);
        var (first, firstTag) = SealWith(crypto, key, Nonce(1), plain, associated);
        var (second, _) = SealWith(crypto, key, Nonce(2), plain, associated);
        using var opener = crypto.CreateAead(key, encrypt: false);
        Assert.True(opener.TryOpen(Nonce(1), first, firstTag, associated));

        Assert.False(opener.TryOpen(Nonce(2), second, firstTag, associated));
        Assert.Equal(0ul, (ulong)ERR_peek_error());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_tag_wrong_only_in_its_last_twelve_bytes_is_refused(string provider)
    {
        var crypto = Providers.Get(provider);
        var (key, nonce, associated, plain) = Inputs(84);
        var (text, tag) = SealWith(crypto, key, nonce, plain, associated);
        for (var i = 4; i < 16; i++)
            tag[i] ^= 0xff;
        using var opener = crypto.CreateAead(key, encrypt: false);

        Assert.False(opener.TryOpen(nonce, text, tag, associated));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void One_opener_takes_genuine_and_forged_packets_in_turn_and_answers_each_as_AesGcm_does(string provider)
    {
        var crypto = Providers.Get(provider);
        var (key, _, associated, _) = Inputs(0);
        using var reference = new AesGcm(key, 16);
        using var opener = crypto.CreateAead(key, encrypt: false);
        int[] lengths = [0, 84, 1420, 84, 0, 1420];
        for (var i = 0; i < lengths.Length; i++)
        {
            var plain = Inputs(lengths[i]).Plain;
            var nonce = Nonce((byte)(10 + i));
            var (text, tag) = SealWith(crypto, key, nonce, plain, associated);
            var forged = i % 2 == 1;
            if (forged)
                tag[i] ^= 0x04;
            var expected = new byte[text.Length];
            var referenceOpened = true;
            try
            {
                reference.Decrypt(nonce, text, tag, expected, associated);
            }
            catch (AuthenticationTagMismatchException)
            {
                referenceOpened = false;
            }

            Assert.Equal(!forged, referenceOpened);
            Assert.Equal(referenceOpened, opener.TryOpen(nonce, text, tag, associated));
            Assert.Equal(forged ? new byte[text.Length] : plain, text);
        }
        Assert.Equal(0ul, (ulong)ERR_peek_error());
    }

    private static (byte[] Text, byte[] Tag) SealWith(ICryptoProvider crypto, byte[] key, byte[] nonce, byte[] plain, byte[] associated)
    {
        using var sealer = crypto.CreateAead(key, encrypt: true);
        var text = plain.ToArray();
        var tag = new byte[16];
        sealer.Seal(nonce, text, tag, associated);
        return (text, tag);
    }

    private static byte[] Nonce(byte last)
    {
        var nonce = new byte[12];
        nonce[11] = last;
        return nonce;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Misuse_is_an_exception_not_a_wrong_answer(string provider)
    {
        var crypto = Providers.Get(provider);
        var (key, nonce, associated, plain) = Inputs(16);
        Assert.Throws<ArgumentException>(() => crypto.CreateAead(new byte[16], encrypt: true));
        var sealer = crypto.CreateAead(key, encrypt: true);
        Assert.Throws<ArgumentException>(() => sealer.Seal(new byte[16], plain, new byte[16], associated));
        Assert.Throws<ArgumentException>(() => sealer.Seal(nonce, plain, new byte[12], associated));
        Assert.Throws<InvalidOperationException>(() => sealer.TryOpen(nonce, plain, new byte[16], associated));
        sealer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => sealer.Seal(nonce, plain, new byte[16], associated));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Disposing_twice_is_safe_and_every_use_after_it_is_ObjectDisposedException(string provider)
    {
        var crypto = Providers.Get(provider);
        var (key, nonce, associated, plain) = Inputs(84);
        var (text, tag) = SealWith(crypto, key, nonce, plain, associated);
        var sealer = crypto.CreateAead(key, encrypt: true);
        var opener = crypto.CreateAead(key, encrypt: false);

        sealer.Dispose();
        sealer.Dispose();
        opener.Dispose();
        opener.Dispose();

        Assert.Throws<ObjectDisposedException>(() => sealer.Seal(nonce, plain.ToArray(), new byte[16], associated));
        Assert.Throws<ObjectDisposedException>(() => opener.TryOpen(nonce, text, tag, associated));
        Assert.Equal(0ul, (ulong)ERR_peek_error());
    }

    [Fact]
    public void The_OpenSSL_cipher_context_is_a_SafeHandle_that_Dispose_closes_once()
    {
        var (key, _, _, _) = Inputs(0);
        var aead = (MyVpn.Crypto.OpenSsl.OpenSslAesGcm)CryptoProviders.OpenSsl.CreateAead(key, encrypt: true);
        var handle = ContextOf(aead);
        Assert.False(handle.IsInvalid);
        Assert.False(handle.IsClosed);

        // A reference held elsewhere (as a seal in progress on another thread holds one) keeps the native
        // context through Dispose, while the context already refuses new work; the last release frees it.
        var held = false;
        handle.DangerousAddRef(ref held);
        aead.Dispose();
        Assert.False(handle.IsClosed);
        Assert.Throws<ObjectDisposedException>(() => aead.Seal(new byte[12], new byte[16], new byte[16], []));
        handle.DangerousRelease();
        Assert.True(handle.IsClosed);
        aead.Dispose();
        var again = false;
        Assert.Throws<ObjectDisposedException>(() => handle.DangerousAddRef(ref again));
        Assert.False(again);
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_context")]
    private static extern ref MyVpn.Crypto.OpenSsl.CipherContextHandle ContextOf(MyVpn.Crypto.OpenSsl.OpenSslAesGcm aead);

    private static byte[] Flip(byte[] key)
    {
        var copy = key.ToArray();
        copy[31] ^= 0x01;
        return copy;
    }

    private static (byte[] Key, byte[] Nonce, byte[] Associated, byte[] Plain) Inputs(int length)
    {
        var random = new Random(length + 7);
        var key = new byte[32];
        var nonce = new byte[12];
        var associated = new byte[16];
        var plain = new byte[length];
        random.NextBytes(key);
        random.NextBytes(nonce);
        random.NextBytes(associated);
        random.NextBytes(plain);
        return (key, nonce, associated, plain);
    }

    [LibraryImport("libcrypto.so.3")]
    private static partial nuint ERR_peek_error();
}

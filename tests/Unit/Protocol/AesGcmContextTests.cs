using System.Runtime.InteropServices;
using System.Security.Cryptography;
using MyVpn.Protocol;
using Xunit;

namespace MyVpn.Tests.Unit.Protocol;

/// <summary>
/// The direct libcrypto AES-256-GCM against .NET's <see cref="AesGcm"/>: the same bytes sealed, each
/// other's output opened, and every kind of tampering refused with the text wiped.
/// </summary>
public sealed partial class AesGcmContextTests
{
    private static readonly int[] Lengths = [0, 1, 15, 16, 17, 84, 1420, 1500];

    [Theory]
    [InlineData(16)]
    [InlineData(0)]
    public void Seals_exactly_what_dotnet_AesGcm_seals_and_each_opens_the_other(int associatedLength)
    {
        foreach (var length in Lengths)
        {
            var (key, nonce, associated, plain) = Inputs(length);
            associated = associated[..associatedLength];
            using var reference = new AesGcm(key, 16);
            var expected = new byte[length];
            var expectedTag = new byte[16];
            reference.Encrypt(nonce, plain, expected, expectedTag, associated);

            using var sealer = new AesGcmContext(key, encrypt: true);
            var text = plain.ToArray();
            var tag = new byte[16];
            sealer.Seal(nonce, text, tag, associated);
            Assert.Equal(expected, text);
            Assert.Equal(expectedTag, tag);

            using var opener = new AesGcmContext(key, encrypt: false);
            Assert.True(opener.TryOpen(nonce, text, tag, associated));
            Assert.Equal(plain, text);

            var back = new byte[length];
            reference.Decrypt(nonce, expected, expectedTag, back, associated);
            Assert.Equal(plain, back);
        }
    }

    [Fact]
    public void One_context_seals_many_packets_each_with_its_own_nonce()
    {
        var (key, _, associated, plain) = Inputs(84);
        using var reference = new AesGcm(key, 16);
        using var sealer = new AesGcmContext(key, encrypt: true);
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
    [InlineData("text")]
    [InlineData("tag")]
    [InlineData("associated")]
    [InlineData("nonce")]
    [InlineData("key")]
    public void A_changed_bit_anywhere_is_refused_the_text_wiped_and_no_OpenSSL_error_left(string where)
    {
        var (key, nonce, associated, plain) = Inputs(84);
        var tag = new byte[16];
        var text = plain.ToArray();
        using (var sealer = new AesGcmContext(key, encrypt: true))
            sealer.Seal(nonce, text, tag, associated);
        switch (where)
        {
            case "text": text[40] ^= 0x01; break;
            case "tag": tag[15] ^= 0x80; break;
            case "associated": associated[0] ^= 0x01; break;
            case "nonce": nonce[5] ^= 0x01; break;
            case "key": key[31] ^= 0x01; break;
        }

        using var opener = new AesGcmContext(key, encrypt: false);
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
        using (var sealer = new AesGcmContext(where == "key" ? Flip(key) : key, encrypt: true))
            sealer.Seal(nonce, fresh, freshTag, associated);
        if (where == "key")
            return;
        Assert.True(opener.TryOpen(nonce, fresh, freshTag, associated));
        Assert.Equal(plain, fresh);
    }

    [Fact]
    public void A_packet_presented_with_the_previous_packets_tag_is_refused()
    {
        // OpenSSL keeps the last tag in the context: the open must set each packet's own tag, all 16 bytes
        var (key, _, associated, plain) = Inputs(84);
        var (first, firstTag) = SealWith(key, Nonce(1), plain, associated);
        var (second, _) = SealWith(key, Nonce(2), plain, associated);
        using var opener = new AesGcmContext(key, encrypt: false);
        Assert.True(opener.TryOpen(Nonce(1), first, firstTag, associated));

        Assert.False(opener.TryOpen(Nonce(2), second, firstTag, associated));
        Assert.Equal(0ul, (ulong)ERR_peek_error());
    }

    [Fact]
    public void A_tag_wrong_only_in_its_last_twelve_bytes_is_refused()
    {
        var (key, nonce, associated, plain) = Inputs(84);
        var (text, tag) = SealWith(key, nonce, plain, associated);
        for (var i = 4; i < 16; i++)
            tag[i] ^= 0xff;
        using var opener = new AesGcmContext(key, encrypt: false);

        Assert.False(opener.TryOpen(nonce, text, tag, associated));
    }

    [Fact]
    public void One_opener_takes_genuine_and_forged_packets_in_turn_and_answers_each_as_AesGcm_does()
    {
        var (key, _, associated, _) = Inputs(0);
        using var reference = new AesGcm(key, 16);
        using var opener = new AesGcmContext(key, encrypt: false);
        int[] lengths = [0, 84, 1420, 84, 0, 1420];
        for (var i = 0; i < lengths.Length; i++)
        {
            var plain = Inputs(lengths[i]).Plain;
            var nonce = Nonce((byte)(10 + i));
            var (text, tag) = SealWith(key, nonce, plain, associated);
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

    private static (byte[] Text, byte[] Tag) SealWith(byte[] key, byte[] nonce, byte[] plain, byte[] associated)
    {
        using var sealer = new AesGcmContext(key, encrypt: true);
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

    [Fact]
    public void Misuse_is_an_exception_not_a_wrong_answer()
    {
        var (key, nonce, associated, plain) = Inputs(16);
        Assert.Throws<ArgumentException>(() => new AesGcmContext(new byte[16], encrypt: true));
        var sealer = new AesGcmContext(key, encrypt: true);
        Assert.Throws<ArgumentException>(() => sealer.Seal(new byte[16], plain, new byte[16], associated));
        Assert.Throws<ArgumentException>(() => sealer.Seal(nonce, plain, new byte[12], associated));
        Assert.Throws<InvalidOperationException>(() => sealer.TryOpen(nonce, plain, new byte[16], associated));
        sealer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => sealer.Seal(nonce, plain, new byte[16], associated));
    }

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

namespace MyVpn.Crypto;

/// <summary>
/// AES-256-GCM under one key, for one direction: a sealing instance only seals, an opening instance
/// only opens. Works in place on the caller's buffers: a 12-byte nonce, the text, a 16-byte tag and the
/// associated data. Not thread-safe: one thread at a time per instance (the caller serialises, and does
/// not use an instance after disposing it). Disposing frees the expanded key; disposing twice is safe,
/// and any use after it throws <see cref="ObjectDisposedException"/>.
/// </summary>
public interface IAead : IDisposable
{
    /// <summary>Bytes in a key (AES-256).</summary>
    const int KeyLength = 32;

    /// <summary>Bytes in a nonce (GCM's default IV length).</summary>
    const int NonceLength = 12;

    /// <summary>Bytes in a tag (GCM's full tag; nothing shorter is accepted).</summary>
    const int TagLength = 16;

    /// <summary>Encrypts <paramref name="text"/> in place and writes the 16-byte <paramref name="tag"/>.</summary>
    void Seal(ReadOnlySpan<byte> nonce, Span<byte> text, Span<byte> tag, ReadOnlySpan<byte> associated);

    /// <summary>
    /// Decrypts <paramref name="text"/> in place and checks <paramref name="tag"/>; false, with the text
    /// zeroed, when the tag, the text, the nonce, the associated data or the key was not what was sealed.
    /// </summary>
    bool TryOpen(ReadOnlySpan<byte> nonce, Span<byte> text, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> associated);
}

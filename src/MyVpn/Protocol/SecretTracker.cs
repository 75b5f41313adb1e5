namespace MyVpn.Protocol;

/// <summary>
/// A test's view of the secret buffers a handshake makes (ECDH secret, hs, auth, k_id, k_proof,
/// k_accept, the identity plaintext, PSK copies, the grant and its data keys), so it can check that
/// each is zero once the step that needed it is done. Null (the default) in the daemon: no cost.
/// </summary>
internal sealed class SecretTracker
{
    private readonly List<(string Name, byte[] Bytes)> _buffers = [];

    public IReadOnlyList<(string Name, byte[] Bytes)> Buffers => _buffers;

    public IEnumerable<string> Names => _buffers.Select(b => b.Name).Distinct();

    /// <summary>The buffers not (yet) wiped, by name.</summary>
    public IEnumerable<string> NotWiped => _buffers.Where(b => b.Bytes.AsSpan().ContainsAnyExcept((byte)0)).Select(b => b.Name);

    public byte[] Add(string name, byte[] bytes)
    {
        _buffers.Add((name, bytes));
        return bytes;
    }
}

using MyVpn.Protocol;

namespace MyVpn.Tests.Unit.Support;

/// <summary>
/// A client built by hand from docs/protocol.md rather than <see cref="ClientHandshake"/>, so tests
/// can send a server messages the real client never would: a ClientAuth whose plaintext is
/// malformed yet correctly encrypted under k_id, for instance.
/// </summary>
public sealed class CraftedClient : IDisposable
{
    private readonly EphemeralKey _ephemeral;

    public CraftedClient(int seed)
    {
        _ephemeral = EphemeralKey.Generate(new TestRandom(seed));
        var body = new byte[HandshakeMessage.HelloLength];
        _ephemeral.PublicKey.CopyTo(body, 0);
        ClientHello = HandshakeMessage.Frame(HandshakeMessageType.ClientHello, body);
    }

    public byte[] ClientHello { get; }

    /// <summary>A ClientAuth frame carrying <paramref name="plaintext"/> (normally name length | name padded to 64 | address | proof), sealed under k_id.</summary>
    public byte[] ClientAuth(byte[] serverHello, ReadOnlySpan<byte> plaintext)
    {
        if (!_ephemeral.TryAgree(serverHello.AsSpan(HandshakeMessage.HeaderLength, HandshakeMessage.PublicKeyLength), out var shared))
            throw new InvalidOperationException("the server's key is not a P-256 point");
        var schedule = new KeySchedule(shared, ClientHello, serverHello);
        var sealedBody = KeySchedule.Seal(schedule.IdentityKey(), plaintext, schedule.Transcript);
        return HandshakeMessage.Frame(HandshakeMessageType.ClientAuth, sealedBody);
    }

    /// <summary>
    /// A ClientAuth plaintext in the fixed layout of docs/protocol.md §2.3: <paramref name="nameLength"/>
    /// as the length byte (true or not), <paramref name="name"/> in the 64-byte name field (at most 64
    /// bytes, the rest zero unless <paramref name="padding"/> fills it), the requested address (0.0.0.0
    /// unless given), then <paramref name="proofLength"/> bytes of 0xAB in place of a proof. With the
    /// default proof length the sealed body is exactly <see cref="HandshakeMessage.ClientAuthLength"/>.
    /// </summary>
    public static byte[] Identity(byte nameLength, ReadOnlySpan<byte> name, byte padding = 0, uint requestedAddress = 0,
        int proofLength = HandshakeMessage.ProofLength)
    {
        if (name.Length > HandshakeMessage.MaxNameLength)
            throw new ArgumentException("the name field holds at most 64 bytes", nameof(name));
        var plaintext = new byte[HandshakeMessage.IdentityLength + proofLength];
        plaintext[0] = nameLength;
        plaintext.AsSpan(1, HandshakeMessage.MaxNameLength).Fill(padding);
        name.CopyTo(plaintext.AsSpan(1));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(plaintext.AsSpan(1 + HandshakeMessage.MaxNameLength), requestedAddress);
        plaintext.AsSpan(HandshakeMessage.IdentityLength).Fill(0xAB);
        return plaintext;
    }

    public void Dispose() => _ephemeral.Dispose();
}

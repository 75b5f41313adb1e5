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

    /// <summary>A ClientAuth frame carrying <paramref name="plaintext"/> (normally name length | name | address | proof), sealed under k_id.</summary>
    public byte[] ClientAuth(byte[] serverHello, ReadOnlySpan<byte> plaintext)
    {
        if (!_ephemeral.TryAgree(serverHello.AsSpan(HandshakeMessage.HeaderLength, HandshakeMessage.PublicKeyLength), out var shared))
            throw new InvalidOperationException("the server's key is not a P-256 point");
        var schedule = new KeySchedule(shared, ClientHello, serverHello);
        var sealedBody = KeySchedule.Seal(schedule.IdentityKey(), plaintext, schedule.Transcript);
        return HandshakeMessage.Frame(HandshakeMessageType.ClientAuth, sealedBody);
    }

    /// <summary>
    /// An identity plaintext: <paramref name="nameLength"/> as the length byte (true or not), the name
    /// bytes zero-padded to 64 (longer names overrun into the address, as a forger might try), address
    /// 0.0.0.0 and <paramref name="proofLength"/> bytes of 0xAB in place of a proof.
    /// </summary>
    public static byte[] Identity(byte nameLength, ReadOnlySpan<byte> name, int proofLength = HandshakeMessage.ProofLength)
    {
        var nameField = Math.Max(name.Length, HandshakeMessage.MaxNameLength);
        var plaintext = new byte[1 + nameField + 4 + proofLength];
        plaintext[0] = nameLength;
        name.CopyTo(plaintext.AsSpan(1));
        plaintext.AsSpan(1 + nameField + 4).Fill(0xAB);
        return plaintext;
    }

    public void Dispose() => _ephemeral.Dispose();
}

using System.Buffers.Binary;

namespace MyVpn.Protocol;

/// <summary>The framing of handshake messages: <c>type (1) | version (1) | body length (2, BE) | body</c>.</summary>
public static class HandshakeMessage
{
    public const int HeaderLength = 4;
    public const int PublicKeyLength = 65;
    public const int NonceLength = 32;
    public const int HelloLength = PublicKeyLength + NonceLength;
    public const int MaxNameLength = 64;
    public const int ProofLength = 32;

    /// <summary>The identity fields: name length (1) | name, zero-padded to 64 bytes | requested address (4).</summary>
    public const int IdentityLength = 1 + MaxNameLength + 4;

    /// <summary>The sealed identity fields and proof (32), then the tag: one fixed size, so the length tells nothing about the name.</summary>
    public const int ClientAuthLength = IdentityLength + ProofLength + WireFormat.TagLength;

    /// <summary>session id 4 | client address 4 | prefix 1 | server address 4 | port 2 | mtu 2 | keepalive 2 | two keys.</summary>
    public const int GrantLength = 4 + 4 + 1 + 4 + 2 + 2 + 2 + 2 * WireFormat.KeyLength;
    public const int ServerAcceptLength = GrantLength + WireFormat.TagLength;

    /// <summary>A grant with the largest extension (<see cref="GrantExtension"/>): what a server pushes.</summary>
    public const int MaxGrantLength = GrantLength + GrantExtension.MaxLength;
    public const int MaxServerAcceptLength = MaxGrantLength + WireFormat.TagLength;
    public const int RejectLength = 1;

    /// <summary>The longest frame: a ServerAccept whose grant carries the largest extension.</summary>
    public const int MaxFrameLength = HeaderLength + MaxServerAcceptLength;

    /// <summary>The inclusive range of body lengths a type allows; false for an unknown type.</summary>
    public static bool TryGetBodyLimits(byte type, out int min, out int max)
    {
        switch ((HandshakeMessageType)type)
        {
            case HandshakeMessageType.ClientHello or HandshakeMessageType.ServerHello:
                (min, max) = (HelloLength, HelloLength);
                return true;
            case HandshakeMessageType.ClientAuth:
                (min, max) = (ClientAuthLength, ClientAuthLength);
                return true;
            case HandshakeMessageType.ServerAccept:
                (min, max) = (ServerAcceptLength, MaxServerAcceptLength);
                return true;
            case HandshakeMessageType.Reject:
                (min, max) = (RejectLength, RejectLength);
                return true;
            default:
                (min, max) = (0, 0);
                return false;
        }
    }

    public static byte[] Frame(HandshakeMessageType type, ReadOnlySpan<byte> body)
    {
        var frame = new byte[HeaderLength + body.Length];
        frame[0] = (byte)type;
        frame[1] = WireFormat.Version;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)body.Length);
        body.CopyTo(frame.AsSpan(HeaderLength));
        return frame;
    }
}

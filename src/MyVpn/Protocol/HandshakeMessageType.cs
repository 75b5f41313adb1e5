namespace MyVpn.Protocol;

/// <summary>Handshake message types and their size limits (docs/protocol.md §2).</summary>
public enum HandshakeMessageType : byte
{
    ClientHello = 1,
    ServerHello = 2,
    ClientAuth = 3,
    ServerAccept = 4,
    Reject = 5,
}

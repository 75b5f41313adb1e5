namespace MyVpn.Protocol;

/// <summary>What one batch of handshake bytes led to: a status, the error if it failed, and bytes to send back.</summary>
public readonly record struct HandshakeStep(HandshakeStatus Status, HandshakeError Error = HandshakeError.None, byte[]? Reply = null)
{
    public static HandshakeStep Fail(HandshakeError error, byte[]? reply = null) => new(HandshakeStatus.Failed, error, reply);
}

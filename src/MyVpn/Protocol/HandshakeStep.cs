namespace MyVpn.Protocol;

public enum HandshakeStatus
{
    /// <summary>Waiting for more bytes.</summary>
    InProgress,
    /// <summary>Server side: the client proved its key; the engine now grants or refuses a session.</summary>
    Authenticated,
    /// <summary>Client side: the session is granted and its keys are known.</summary>
    Established,
    /// <summary>The handshake is over without a session; <see cref="HandshakeStep.Error"/> says why.</summary>
    Failed,
}

/// <summary>What one batch of handshake bytes led to: a status, the error if it failed, and bytes to send back.</summary>
public readonly record struct HandshakeStep(HandshakeStatus Status, HandshakeError Error = HandshakeError.None, byte[]? Reply = null)
{
    public static HandshakeStep Fail(HandshakeError error, byte[]? reply = null) => new(HandshakeStatus.Failed, error, reply);
}

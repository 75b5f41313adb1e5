namespace MyVpn.Protocol;

/// <summary>Where a handshake stands after a batch of bytes.</summary>
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

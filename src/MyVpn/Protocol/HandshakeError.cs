namespace MyVpn.Protocol;

/// <summary>Every way a handshake can fail, by name. The server logs these; the client reports them.</summary>
public enum HandshakeError
{
    None,
    /// <summary>The connection closed in the middle of a message.</summary>
    Truncated,
    /// <summary>The connection closed between messages, before the handshake finished (the peer gave up or went away).</summary>
    ConnectionClosed,
    /// <summary>A message header announced more bytes than that message type may have.</summary>
    Oversized,
    /// <summary>A message type this version does not know.</summary>
    UnknownMessageType,
    /// <summary>A message of another protocol version.</summary>
    UnsupportedVersion,
    /// <summary>A valid message at the wrong point of the exchange, or bytes after the last one.</summary>
    UnexpectedMessage,
    /// <summary>A message whose length or fields are not what its type requires.</summary>
    Malformed,
    /// <summary>The peer's ephemeral key is not a point on P-256.</summary>
    InvalidPublicKey,
    /// <summary>The client's identity message did not decrypt: not made for this exchange (a replay) or corrupted.</summary>
    ClientAuthUndecryptable,
    /// <summary>No client of that name is configured.</summary>
    UnknownClient,
    /// <summary>The client's proof does not match its configured key.</summary>
    WrongKey,
    /// <summary>The server's accept message did not decrypt: the server does not hold this client's key.</summary>
    ServerAuthFailed,
    /// <summary>The server refused authentication (wrong key or unknown name).</summary>
    AuthenticationRejected,
    /// <summary>The server refused for another reason (see the reject code).</summary>
    Rejected,
    /// <summary>The handshake did not finish in time.</summary>
    Timeout,
    /// <summary>The server had too many handshakes in flight.</summary>
    Busy,
    /// <summary>The server has no free address in the subnet.</summary>
    NoAddressAvailable,
    /// <summary>The server has no free UDP port in its range.</summary>
    NoPortAvailable,
    /// <summary>The shared key's clients hold as many sessions as the server allows (<c>max_sessions</c>); the client hears Busy.</summary>
    SessionLimit,
}

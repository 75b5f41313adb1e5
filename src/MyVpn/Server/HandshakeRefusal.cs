namespace MyVpn.Server;

/// <summary>Why the server refused a handshake connection (Reject Busy, then close) before finishing it.</summary>
public enum HandshakeRefusal
{
    None,

    /// <summary><see cref="VpnServerOptions.MaxPendingHandshakes"/> handshakes were in flight.</summary>
    TooManyInFlight,

    /// <summary><see cref="VpnServerOptions.MaxHandshakesPerSource"/> handshakes were in flight from the same address.</summary>
    TooManyFromSource,

    /// <summary>The address had used up its <see cref="VpnServerOptions.HandshakeRatePerSource"/> token bucket.</summary>
    SourceRateExceeded,

    /// <summary><see cref="VpnServerOptions.MaxConcurrentHandshakeCrypto"/> handshake messages were being processed.</summary>
    CryptoBusy,
}

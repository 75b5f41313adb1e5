using MyVpn.Net;

namespace MyVpn.Client;

/// <summary>Everything the client engine needs to know; the CLI builds it from flags or TOML.</summary>
public sealed class VpnClientOptions
{
    /// <summary>The server's handshake endpoint (TCP, port <see cref="Protocol.WireFormat.DefaultHandshakePort"/> by default).</summary>
    public required NetEndpoint Server { get; init; }

    /// <summary>The name the server knows this client by.</summary>
    public required string Name { get; init; }

    /// <summary>This client's 256-bit pre-shared key.</summary>
    public required byte[] Key { get; init; }

    /// <summary>A handshake that has not finished in this time is abandoned and retried.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The first retry waits this long; each next one twice as long (stretched or shrunk by up to a
    /// fifth), up to <see cref="MaxRetryDelay"/> after a network failure (timeout, connection closed)
    /// or <see cref="MaxRefusalRetryDelay"/> after a refusal.
    /// </summary>
    public TimeSpan InitialRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait after a handshake that timed out, whose connection closed, or that got Reject <c>Busy</c>.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest wait after a refusal: a Reject (any code but <c>Busy</c>), a ServerAccept that does
    /// not open, or bytes that are no valid server message. Refusals are unauthenticated, so once a session has
    /// been up none of them stops the client; this cap only keeps it from hammering a server that
    /// keeps refusing.
    /// </summary>
    public TimeSpan MaxRefusalRetryDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The server is taken for gone after this many keepalive intervals without a word from it.</summary>
    public int DeadAfterKeepalives { get; init; } = DefaultDeadAfterKeepalives;

    public const int DefaultDeadAfterKeepalives = 3;

    /// <summary>After a rekey, how long the previous keys still open the server's datagrams once it has switched.</summary>
    public TimeSpan RekeyGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The largest inner packet this client's path to the server carries (the host sets it from <c>mtu</c> /
    /// <c>--mtu</c>, else from the kernel's route MTU towards the server less the tunnel's overhead). The
    /// session's MTU is the lower of this and the grant's; null: the grant's.
    /// </summary>
    public int? Mtu { get; init; }

    /// <summary>When set, receives every session's data keys (the --keylog file). Off by default.</summary>
    public Action<Protocol.SessionKeys>? KeyLog { get; init; }
}

namespace MyVpn.Io;

/// <summary>
/// Looks the server's name up (client side). The client engine asks before each handshake that starts a
/// session (the first, and every one after a session was lost or a handshake failed), never for a rekey, so
/// a server whose address changes (dynamic DNS) is found again. The host answers from the system resolver;
/// the simulator from its name table.
/// </summary>
public interface IServerResolver
{
    /// <summary>The name as configured, with its port (<c>vpn.example.org:9525</c>): what the log names.</summary>
    string Name { get; }

    /// <summary>
    /// Starts a lookup and reports it to <paramref name="done"/> exactly once, on any thread, possibly
    /// before returning. Never blocks.
    /// </summary>
    void Resolve(Action<ServerLookup> done);
}

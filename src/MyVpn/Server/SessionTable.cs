namespace MyVpn.Server;

/// <summary>
/// The sessions by VPN address, as the data path sees them: immutable once published. The control
/// plane builds a new table for every session that comes or goes (rare: handshakes, expiry) and
/// publishes it with one volatile write, so the data-path threads look sessions up without a lock
/// and never see a table being changed.
/// </summary>
internal sealed class SessionTable
{
    public static readonly SessionTable Empty = new([]);

    private readonly Dictionary<uint, ServerSession> _byAddress;

    private SessionTable(Dictionary<uint, ServerSession> byAddress) => _byAddress = byAddress;

    public bool TryGet(uint address, out ServerSession session) => _byAddress.TryGetValue(address, out session!);

    public SessionTable With(ServerSession session) =>
        new(new Dictionary<uint, ServerSession>(_byAddress) { [session.Address.Value] = session });

    public SessionTable Without(ServerSession session)
    {
        var copy = new Dictionary<uint, ServerSession>(_byAddress);
        if (copy.TryGetValue(session.Address.Value, out var current) && current == session)
            copy.Remove(session.Address.Value);
        return new SessionTable(copy);
    }
}

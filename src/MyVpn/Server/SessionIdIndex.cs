using System.Collections.Concurrent;

namespace MyVpn.Server;

/// <summary>
/// One-port mode's demultiplexer: the sessions by the session ids their keys carry (current, next and
/// previous), so a datagram on the shared port finds the session whose keys may open it. Finding a
/// session proves nothing: the datagram is that session's only once it opens under the session's keys.
/// </summary>
/// <remarks>
/// The control plane writes it (under the engine's lock: a grant, a rekey, a removal, the tick's
/// <see cref="Prune"/>); the shared socket's reader looks ids up without a lock and without allocating.
/// An id whose keys were dropped may stay until the next prune: its lookup finds a session whose keys
/// no longer hold it, and the datagram is dropped as <see cref="Protocol.DropReason.WrongSession"/>.
/// </remarks>
internal sealed class SessionIdIndex
{
    private readonly ConcurrentDictionary<uint, ServerSession> _byId = new();

    public int Count => _byId.Count;

    public bool TryGet(uint sessionId, out ServerSession session) => _byId.TryGetValue(sessionId, out session!);

    /// <summary>A grant or a rekey: <paramref name="sessionId"/> now names <paramref name="session"/>'s keys.</summary>
    public void Add(uint sessionId, ServerSession session) => _byId[sessionId] = session;

    /// <summary>A removed session: forgets every id still pointing at it.</summary>
    public void Remove(ServerSession session)
    {
        var keys = session.Keys;
        Forget(keys.Current.Id, session);
        if (keys.Next is { } next)
            Forget(next.Id, session);
        if (keys.Previous is { } previous)
            Forget(previous.Id, session);
    }

    /// <summary>Forgets the ids whose keys their session no longer holds (a rekey's old keys past their grace).</summary>
    public void Prune()
    {
        foreach (var (id, session) in _byId)
            if (session.IsClosed || !session.Keys.Holds(id))
                Forget(id, session);
    }

    private void Forget(uint sessionId, ServerSession session) =>
        _byId.TryRemove(new KeyValuePair<uint, ServerSession>(sessionId, session));
}

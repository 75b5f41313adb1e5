using MyVpn.Tunnel;

namespace MyVpn.Server;

/// <summary>
/// A session's data keys on the server, as the data path sees them: immutable, replaced whole and
/// published with one atomic write (<see cref="ServerSession.Keys"/>), so no thread sees half a rekey.
/// </summary>
/// <remarks>
/// <see cref="Current"/> seals and opens. <see cref="Next"/>, installed by a rekey handshake, only opens:
/// its first authentic datagram confirms that the client has the new keys, and it is promoted to current
/// (the server seals under it from then on). The keys it replaces become <see cref="Previous"/>, which
/// opens datagrams still in flight until <see cref="PreviousUntil"/>. A datagram's session id picks its keys.
/// </remarks>
internal sealed class KeyRing(Session current, long currentBorn, Session? next = null, long nextBorn = 0,
    Session? previous = null, long previousUntil = 0)
{
    public Session Current { get; } = current;

    /// <summary>When <see cref="Current"/>'s handshake ran (a <see cref="TimeProvider"/> timestamp): its age decides the rekey.</summary>
    public long CurrentBorn { get; } = currentBorn;

    public Session? Next { get; } = next;
    public long NextBorn { get; } = nextBorn;
    public Session? Previous { get; } = previous;

    /// <summary>Until when (a timestamp, exclusive) <see cref="Previous"/> may still open datagrams.</summary>
    public long PreviousUntil { get; } = previousUntil;

    /// <summary>The keys of the datagram's session id (previous ones only within their grace); null for none.</summary>
    public Session? Find(uint sessionId, long now)
    {
        if (sessionId == Current.Id)
            return Current;
        if (Next is { } next && sessionId == next.Id)
            return next;
        if (Previous is { } previous && sessionId == previous.Id && now < PreviousUntil)
            return previous;
        return null;
    }

    /// <summary>True if any of the ring's keys carries this session id.</summary>
    public bool Holds(uint sessionId) =>
        Current.Id == sessionId || Next?.Id == sessionId || Previous?.Id == sessionId;

    /// <summary>Next becomes current; current becomes previous until <paramref name="previousUntil"/>.</summary>
    public KeyRing Promoted(long previousUntil) => new(Next!, NextBorn, null, 0, Current, previousUntil);

    public KeyRing WithNext(Session next, long born) => new(Current, CurrentBorn, next, born, Previous, PreviousUntil);

    public KeyRing WithoutPrevious() => new(Current, CurrentBorn, Next, NextBorn);

    public void DisposeAll()
    {
        Current.Dispose();
        Next?.Dispose();
        Previous?.Dispose();
    }
}

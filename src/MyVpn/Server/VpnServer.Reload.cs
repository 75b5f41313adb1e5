using MyVpn.Net;

namespace MyVpn.Server;

/// <remarks>
/// Reload: the host hands in a new client list and shared key (a re-read config). The swap runs under
/// <see cref="_lock"/>, as grants and expiry do: the new <see cref="ClientDirectory"/> is published, the
/// address pool learns the new fixed addresses, and every session whose client is gone, has another key
/// or another fixed address is removed at once (port and address released, socket closed). A handshake in
/// flight that proved a key the directory no longer holds is refused at its grant (<see cref="TryGrant"/>
/// compares the proved key with the current one under the same lock). Every other session is not touched.
/// </remarks>
public sealed partial class VpnServer
{
    /// <summary>
    /// Test seam: called with the client's name when a handshake has proved its key, before the grant takes
    /// the control lock, so a test can reload exactly between the two.
    /// </summary>
    internal Action<string>? AuthenticatedForTests { get; set; }

    /// <summary>
    /// Swaps in a new client list and shared key: clients added can handshake at once; the sessions of clients
    /// removed, re-keyed or given another fixed address (and a session holding an address that is now another
    /// client's fixed one) end at once; every other session keeps its session id, keys and counters.
    /// </summary>
    public ClientChanges UpdateClients(IReadOnlyList<ClientEntry> clients, byte[]? sharedKey)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var old = Directory;
            var next = new ClientDirectory(clients, sharedKey);
            List<string> added = [], removed = [], rekeyed = [], readdressed = [];
            foreach (var entry in next.Clients)
            {
                if (!old.TryGet(entry.Name, out var before))
                {
                    added.Add(entry.Name);
                    continue;
                }
                if (!ClientDirectory.SameKey(before.Key, entry.Key))
                    rekeyed.Add(entry.Name);
                if (before.StaticAddress != entry.StaticAddress)
                    readdressed.Add(entry.Name);
            }
            removed.AddRange(old.Clients.Select(c => c.Name).Where(name => !next.IsListed(name)));
            var sharedKeyChanged = (old.SharedKey is not null || sharedKey is not null) && !ClientDirectory.SameKey(old.SharedKey, sharedKey);

            var owners = next.Clients.Where(c => c.StaticAddress is not null).ToDictionary(c => c.StaticAddress!.Value, c => c.Name);
            Volatile.Write(ref _directory, next);
            _addresses.Reserve(owners.Keys);
            var closed = 0;
            foreach (var session in _sessions.ToArray())
            {
                if (WhyEnd(session, old, next, owners) is not { } reason)
                    continue;
                ServerLog.SessionEnded(_logger, session.Name, session.Address, session.Port, reason);
                RemoveSession(session);
                closed++;
            }
            var changes = new ClientChanges(Sorted(added), Sorted(removed), Sorted(rekeyed), Sorted(readdressed), sharedKeyChanged, closed);
            ServerLog.ClientsUpdated(_logger, changes.ToString());
            return changes;
        }
    }

    /// <summary>Why a reload ends this session, or null if the session stays.</summary>
    private static string? WhyEnd(ServerSession session, ClientDirectory old, ClientDirectory next, Dictionary<IPv4Address, string> owners)
    {
        var key = next.KeyFor(session.Name);
        if (old.IsListed(session.Name) && !next.IsListed(session.Name) && !ClientDirectory.SameKey(old.KeyFor(session.Name), key))
            return "removed from the configuration";
        if (key is null)
            return "removed from the configuration (and no shared key)";
        if (!ClientDirectory.SameKey(old.KeyFor(session.Name), key))
            return "its key changed";
        if (next.TryGet(session.Name, out var entry) && entry.StaticAddress is { } fixedAddress && fixedAddress != session.Address)
            return $"its address changed to {fixedAddress}";
        if (owners.TryGetValue(session.Address, out var owner) && owner != session.Name)
            return $"its address is now client '{LogText.Escape(owner)}''s fixed address";
        return null;
    }

    private static List<string> Sorted(List<string> names)
    {
        names.Sort(StringComparer.Ordinal);
        return names;
    }
}

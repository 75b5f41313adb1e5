using System.Security.Cryptography;

namespace MyVpn.Server;

/// <summary>
/// Who may connect: the configured clients by name and the shared key for any other name. Immutable:
/// a reload builds a new one and the engine publishes it with one volatile write, so a handshake
/// looking a key up never sees half a reload.
/// </summary>
internal sealed class ClientDirectory(IReadOnlyList<ClientEntry> clients, byte[]? sharedKey)
{
    private readonly Dictionary<string, ClientEntry> _byName = clients.ToDictionary(c => c.Name, StringComparer.Ordinal);

    public byte[]? SharedKey { get; } = sharedKey;

    public IEnumerable<ClientEntry> Clients => _byName.Values;

    public bool TryGet(string name, out ClientEntry entry) => _byName.TryGetValue(name, out entry!);

    public bool IsListed(string name) => _byName.ContainsKey(name);

    /// <summary>The key a client of this name proves: its own, else the shared key, else none.</summary>
    public byte[]? KeyFor(string name) => _byName.TryGetValue(name, out var entry) ? entry.Key : SharedKey;

    /// <summary>The fixed addresses of the listed clients.</summary>
    public IEnumerable<Net.IPv4Address> StaticAddresses =>
        _byName.Values.Where(c => c.StaticAddress is not null).Select(c => c.StaticAddress!.Value);

    /// <summary>True if both are the same key (compared in constant time); false if either is missing.</summary>
    public static bool SameKey(byte[]? a, byte[]? b) =>
        a is not null && b is not null && CryptographicOperations.FixedTimeEquals(a, b);
}

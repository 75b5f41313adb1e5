namespace MyVpn.Doctor;

/// <summary>
/// One match expression of an nftables rule: what it compares (<see cref="Kind"/>), whether it wants
/// equality (<see cref="Negated"/> false) and the values it compares with (ports as ranges, names as text).
/// </summary>
public sealed record NftMatch(NftMatchKind Kind, bool Negated, string? Protocol = null)
{
    /// <summary>For ports: the ranges, inclusive; a single port is a range of one.</summary>
    public IReadOnlyList<(int First, int Last)> Ports { get; init; } = [];

    /// <summary>For protocols, interfaces and connection states: the words compared with.</summary>
    public IReadOnlyList<string> Words { get; init; } = [];

    public bool PortIn(int port) => Ports.Any(range => port >= range.First && port <= range.Last);
}

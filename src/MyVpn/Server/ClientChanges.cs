namespace MyVpn.Server;

/// <summary>
/// What a reload of the client list changed (<see cref="VpnServer.UpdateClients"/>): names added, removed,
/// given a new key or a new fixed address, and how many sessions it ended. Names are sorted.
/// </summary>
public sealed record ClientChanges(
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Removed,
    IReadOnlyList<string> Rekeyed,
    IReadOnlyList<string> Readdressed,
    bool SharedKeyChanged,
    int SessionsClosed)
{
    /// <summary>One line for the log and the reload reply.</summary>
    public override string ToString() =>
        $"clients: added {Count(Added)}, removed {Count(Removed)}, new key {Count(Rekeyed)}, new address {Count(Readdressed)}; "
        + $"shared key {(SharedKeyChanged ? "changed" : "unchanged")}; {SessionsClosed} session(s) closed";

    private static string Count(IReadOnlyList<string> names) =>
        names.Count == 0 ? "0" : $"{names.Count} ({string.Join(", ", names.Select(LogText.Escape))})";
}

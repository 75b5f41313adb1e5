namespace MyVpn.Linux;

/// <summary>
/// The full tunnel as wg-quick builds it, for IPv4 and IPv6: a default route through the tun device in
/// a table of its own, a rule sending every packet that does not carry the daemon's firewall mark to that
/// table, and before it a rule that first looks in the main table but ignores a default route there (so
/// the main table's more specific routes, the local network's, still apply). The daemon's own sockets
/// carry the mark (<see cref="SocketMark"/>) and skip the table, reaching the server through the main
/// table's default route; every other program's packets to the server go into the tunnel. IPv6 goes into
/// the tunnel when the session has an IPv6 address, and is refused (an unreachable default in the table)
/// when it has none, so nothing leaves outside the tunnel over IPv6.
/// </summary>
internal static class FullTunnelRouting
{
    /// <summary>The firewall mark of the daemon's sockets and the routing table's number, unless <c>fwmark</c> says otherwise.</summary>
    public const uint DefaultMark = 9525;

    /// <summary>The rule that looks in the main table without its default route; before <see cref="TunnelRulePriority"/>.</summary>
    public const int MainRulePriority = 32764;

    /// <summary>The rule that sends unmarked packets to the full tunnel's table.</summary>
    public const int TunnelRulePriority = 32765;

    /// <summary>Lets the reverse-path filter see a packet's mark, as wg-quick sets it.</summary>
    public const string SrcValidMark = "/proc/sys/net/ipv4/conf/all/src_valid_mark";

    /// <summary>
    /// What to install, in order: each table's default route, then its rules. <paramref name="ipv6"/> says
    /// whether IPv6 goes through the tunnel (the session has an IPv6 address) or is
    /// refused; <paramref name="kernelHasIPv6"/> false leaves IPv6 out (there is none to leak).
    /// </summary>
    public static IReadOnlyList<PolicyEntry> Entries(string tun, uint mark, bool ipv6, bool kernelHasIPv6)
    {
        var entries = new List<PolicyEntry>();
        var table = mark.ToString(System.Globalization.CultureInfo.InvariantCulture);
        entries.Add(PolicyEntry.Route("-4", $"default dev {tun} table {table}"));
        entries.AddRange(Rules("-4", table));
        if (!kernelHasIPv6)
            return entries;
        entries.Add(PolicyEntry.Route("-6", ipv6 ? $"default dev {tun} table {table}" : $"unreachable default table {table}"));
        entries.AddRange(Rules("-6", table));
        return entries;
    }

    private static PolicyEntry[] Rules(string family, string table) =>
    [
        PolicyEntry.Rule(family, $"priority {TunnelRulePriority} not fwmark {table} table {table}"),
        PolicyEntry.Rule(family, $"priority {MainRulePriority} table main suppress_prefixlength 0"),
    ];
}

using System.Text.Json.Serialization;

namespace MyVpn.Linux;

/// <summary>
/// One change the daemon made to the system, written down before it is made, with what undoes it:
/// <c>route</c> (the <c>ip route</c> arguments), <c>policy</c> (a rule or a route in a table of its own: family,
/// <c>rule</c> or <c>route</c>, then the <c>ip</c> arguments), <c>nft-table</c> (its name), <c>nft6-table</c> (the
/// name of the <c>ip6</c> table), <c>sysctl</c> (path, old value),
/// <c>resolved-link</c> (the tun device whose systemd-resolved DNS to revert) or <c>resolv-conf</c> (path, then
/// <c>file</c> and its old content, <c>symlink</c> and its target, or <c>absent</c>).
/// </summary>
internal sealed record UndoStep(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("args")] string[] Args)
{
    public static UndoStep ForRoute(KernelRoute route) => new("route", [.. route.Arguments]);
    public static UndoStep ForPolicy(PolicyEntry entry) => new("policy", entry.ToJournal());
    public static UndoStep ForNftTable(string table) => new("nft-table", [table]);
    public static UndoStep ForNftTable6(string table) => new("nft6-table", [table]);
    public static UndoStep ForSysctl(string path, string oldValue) => new("sysctl", [path, oldValue]);
    public static UndoStep ForResolvedLink(string tun) => new("resolved-link", [tun]);
    public static UndoStep ForResolvConf(string path, string kind, string saved) => new("resolv-conf", [path, kind, saved]);

    /// <summary>Undoes the change; a change that is already gone is not an error.</summary>
    public void Undo()
    {
        switch (Kind)
        {
            case "route": // gone already if it went through a device that is gone
                SystemTool.Run("ip", ["-4", "route", "del", .. Args]);
                break;
            case "policy":
                PolicyRouting.Delete(PolicyEntry.FromJournal(Args));
                break;
            case "nft-table":
                NftTable.DeleteTable(Args[0]);
                break;
            case "nft6-table":
                NftTable6.DeleteTable(Args[0]);
                break;
            case "sysctl":
                Sysctl.TryWrite(Args[0], Args[1]);
                break;
            case "resolved-link": // gone already if the tun device is
                SystemTool.Run("resolvectl", ["revert", Args[0]]);
                break;
            case "resolv-conf":
                ResolvConfFile.Restore(Args[0], Args[1], Args[2]);
                break;
        }
    }

    public override string ToString() => Kind == "resolv-conf" ? $"{Kind} {Args[0]} ({Args[1]})" : $"{Kind} {string.Join(' ', Args)}";
}

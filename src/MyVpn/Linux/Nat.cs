using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>
/// Source NAT for the VPN subnet, in an nftables table of our own (<c>ip myvpn_tun0</c>): the daemon
/// adds exactly one table and removes it whole, never touching anyone else's rules.
/// </summary>
internal static class Nat
{
    public static string TableName(string tunName) =>
        "myvpn_" + new string(tunName.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());

    /// <summary>MASQUERADE for packets from <paramref name="subnet"/> leaving through <paramref name="outInterface"/>.</summary>
    public static void AddMasquerade(string table, IPv4Subnet subnet, string outInterface)
    {
        if (!Directory.Exists($"/sys/class/net/{outInterface}"))
            throw new SetupException($"--masquerade {outInterface}: there is no interface {outInterface}");
        // Declaring, deleting and re-adding the table in one transaction replaces any older copy.
        var script = $$"""
            table ip {{table}}
            delete table ip {{table}}
            table ip {{table}} {
                chain postrouting {
                    type nat hook postrouting priority srcnat; policy accept;
                    ip saddr {{subnet}} oifname "{{outInterface}}" masquerade
                }
            }
            """;
        SystemTool.RunChecked("nft", ["-f", "-"], script);
    }

    public static void DeleteTable(string table) => SystemTool.Run("nft", ["delete", "table", "ip", table]);
}

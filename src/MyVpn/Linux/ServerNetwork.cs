using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>
/// The server's kernel setup: its tun address and MTU, IPv4 forwarding, and MyVpn's nftables table (what
/// clients may reach and, optionally, MASQUERADE of the VPN subnet out of the internet-facing interface).
/// Every change goes through the journal.
/// </summary>
internal static class ServerNetwork
{
    public static void ConfigureTun(string tun, IPv4Address address, int prefixLength, int mtu)
    {
        NetInterface.DisableIPv6(tun);
        NetInterface.SetMtu(tun, mtu);
        NetInterface.SetAddress(tun, address, prefixLength);
        NetInterface.SetUp(tun);
    }

    public static void EnableForwarding(UndoJournal journal)
    {
        var old = Sysctl.Read(Sysctl.IPv4Forwarding);
        if (old == "1")
            return;
        journal.Record(UndoStep.ForSysctl(Sysctl.IPv4Forwarding, old));
        Sysctl.Write(Sysctl.IPv4Forwarding, "1");
    }

    /// <summary>Creates the table <c>ip myvpn_&lt;tun&gt;</c> (replacing an older copy); returns its name.</summary>
    public static string InstallTable(UndoJournal journal, NftPolicy policy)
    {
        var table = NftTable.TableName(policy.Tun);
        journal.Record(UndoStep.ForNftTable(table));
        NftTable.Apply(table, policy);
        return table;
    }
}

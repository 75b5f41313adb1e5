using System.Net;
using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>
/// The server's kernel setup: its tun address and MTU, IPv4 forwarding, and MyVpn's nftables table (what
/// clients may reach and, optionally, MASQUERADE of the VPN subnet out of the internet-facing interface);
/// with IPv6 inside the tunnel also the tun's IPv6 address, IPv6 forwarding and the <c>ip6</c> table.
/// Every change goes through the journal.
/// </summary>
internal static class ServerNetwork
{
    /// <param name="ipv6">The server's IPv6 VPN address and the IPv6 subnet's prefix length; null: the tunnel carries IPv4 only.</param>
    public static void ConfigureTun(string tun, IPv4Address address, int prefixLength, int mtu, (IPAddress Address, int PrefixLength)? ipv6 = null)
    {
        if (ipv6 is null)
            NetInterface.DisableIPv6(tun);
        else
            NetInterface6.Enable(tun, mtu);
        NetInterface.SetMtu(tun, mtu);
        NetInterface.SetAddress(tun, address, prefixLength);
        if (ipv6 is { } six)
            NetInterface6.SetAddress(tun, six.Address, six.PrefixLength);
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

    /// <summary>Turns IPv6 forwarding on (all interfaces: the kernel has no narrower switch), journalled to restore the old value.</summary>
    public static void EnableForwarding6(UndoJournal journal)
    {
        var old = Sysctl.Read(Sysctl.IPv6Forwarding);
        if (old == "1")
            return;
        journal.Record(UndoStep.ForSysctl(Sysctl.IPv6Forwarding, old));
        Sysctl.Write(Sysctl.IPv6Forwarding, "1");
    }

    /// <summary>Creates the table <c>ip6 myvpn_&lt;tun&gt;</c> (replacing an older copy); returns its name.</summary>
    public static string InstallTable6(UndoJournal journal, NftPolicy6 policy)
    {
        var table = NftTable.TableName(policy.Tun);
        journal.Record(UndoStep.ForNftTable6(table));
        NftTable6.Apply(table, policy);
        return table;
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

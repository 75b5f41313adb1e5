using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>
/// The server's kernel setup: its tun address and MTU, IPv4 forwarding, and (optionally) MASQUERADE
/// of the VPN subnet out of the internet-facing interface. Every change goes through the journal.
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

    public static string Masquerade(UndoJournal journal, string tun, IPv4Subnet subnet, string outInterface)
    {
        var table = Nat.TableName(tun);
        journal.Record(UndoStep.ForNftTable(table));
        Nat.AddMasquerade(table, subnet, outInterface);
        return table;
    }
}

using System.Net;

namespace MyVpn.Linux;

/// <summary>
/// IPv6 inside the tunnel on one tun device: turned on without the kernel's own addresses and router
/// discovery (no link-local address, no router solicitations or autoconfiguration: the tunnel has no
/// routers, only the address the grant gives), and its one global address through <c>ip -6 addr</c>. The
/// address with its prefix also gives the kernel's route to the IPv6 subnet through the device; both go
/// with the device when the daemon closes it.
/// </summary>
internal static class NetInterface6
{
    /// <summary>IPv6's minimum link MTU: the kernel turns IPv6 off on a device with a smaller one.</summary>
    public const int MinimumMtu = 1280;

    /// <summary>The sysctls, in order, that turn IPv6 on for <paramref name="name"/> without link-local address or router discovery.</summary>
    public static IReadOnlyList<(string Path, string Value)> EnableSettings(string name) =>
    [
        ($"/proc/sys/net/ipv6/conf/{name}/addr_gen_mode", "1"),
        ($"/proc/sys/net/ipv6/conf/{name}/accept_ra", "0"),
        ($"/proc/sys/net/ipv6/conf/{name}/autoconf", "0"),
        ($"/proc/sys/net/ipv6/conf/{name}/router_solicitations", "0"),
        ($"/proc/sys/net/ipv6/conf/{name}/dad_transmits", "0"),
        ($"/proc/sys/net/ipv6/conf/{name}/disable_ipv6", "0"),
    ];

    /// <summary>Turns IPv6 on for the device; <paramref name="mtu"/> below <see cref="MinimumMtu"/> is refused.</summary>
    public static void Enable(string name, int mtu)
    {
        if (mtu < MinimumMtu)
            throw new SetupException($"mtu {mtu} is below {MinimumMtu}, the least IPv6 works with: raise mtu or leave out subnet6");
        foreach (var (path, value) in EnableSettings(name))
            Sysctl.Write(path, value);
    }

    /// <summary>The <c>ip</c> arguments that add <paramref name="address"/>/<paramref name="prefixLength"/> to the device.</summary>
    public static IReadOnlyList<string> AddArguments(string name, IPAddress address, int prefixLength) =>
        ["-6", "addr", "add", $"{address}/{prefixLength}", "dev", name, "nodad"];

    /// <summary>Sets the device's one global IPv6 address (an earlier one, from another grant, is removed first).</summary>
    public static void SetAddress(string name, IPAddress address, int prefixLength)
    {
        SystemTool.RunChecked("ip", ["-6", "addr", "flush", "dev", name, "scope", "global"]);
        SystemTool.RunChecked("ip", AddArguments(name, address, prefixLength));
    }
}

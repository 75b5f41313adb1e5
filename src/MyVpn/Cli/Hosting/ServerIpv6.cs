using System.Net;
using Microsoft.Extensions.Logging;
using MyVpn.Linux;
using MyVpn.Net;
using MyVpn.Server;

namespace MyVpn.Cli.Hosting;

/// <summary>
/// The server's kernel setup for IPv6 inside the tunnel (<c>subnet6</c> or <c>ipv6 = true</c>): the tun's IPv6
/// address, IPv6 forwarding and the <c>ip6</c> table (reach policy, NAT66 with <c>masquerade</c>), and the
/// host's own IPv6 addresses for the router's policy. Without <c>subnet6</c> it does nothing.
/// </summary>
internal static class ServerIpv6
{
    /// <summary>The server's IPv6 address on the tun device and the subnet's prefix length; null: IPv4 only.</summary>
    public static (IPAddress Address, int PrefixLength)? TunAddress(ServerConfig settings) =>
        settings.Subnet6 is { } subnet6 && settings.ToOptions(null).EffectiveServerAddress6 is { } server6
            ? (server6.ToIPAddress(), subnet6.PrefixLength)
            : null;

    /// <summary>Turns IPv6 forwarding on and installs the <c>ip6</c> table, journalled; returns the host's own IPv6 addresses (none without <c>subnet6</c>).</summary>
    public static IReadOnlyList<IPv6Address> Install(ServerConfig settings, string tun, UndoJournal journal, ILogger logger)
    {
        if (settings.Subnet6 is not { } subnet6 || TunAddress(settings) is not { } own)
            return [];
        ServerNetwork.EnableForwarding6(journal);
        var table = ServerNetwork.InstallTable6(journal, new NftPolicy6(tun, IPNetwork.Parse(subnet6.ToString()), own.Address,
            [.. ReachPolicy6.BlockedByDefault.Concat(settings.Block6).Select(Prefix)], [.. settings.Allow6.Select(Prefix)],
            settings.ClientToClient, settings.Masquerade));
        HostLog.ServerIpv6(logger, tun, own.Address, own.PrefixLength,
            settings.Masquerade is { } outInterface ? $"NAT66 out of {outInterface}" : "routed (no masquerade)", table);
        return [.. HostAddresses6.Read().Select(IPv6Address.From)];
    }

    private static IPNetwork Prefix(IPv6Range range) => IPNetwork.Parse(range.ToString());
}

using System.Net;
using Microsoft.Extensions.Logging;

namespace MyVpn.Cli.Hosting;

/// <summary>The host's log lines for IPv6 inside the tunnel.</summary>
internal static partial class HostLog
{
    [LoggerMessage(EventId = 195, Level = LogLevel.Information,
        Message = "IPv6 inside the tunnel: {Tun} {Address}/{Prefix}, forwarding on, {Nat} (nftables table ip6 {Table})")]
    public static partial void ServerIpv6(ILogger logger, string tun, IPAddress address, int prefix, string nat, string table);

    [LoggerMessage(EventId = 196, Level = LogLevel.Information, Message = "tunnel IPv6: {Tun} {Address}/{Prefix}")]
    public static partial void TunnelIpv6(ILogger logger, string tun, IPAddress address, int prefix);
}

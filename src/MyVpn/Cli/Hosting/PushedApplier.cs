using Microsoft.Extensions.Logging;
using MyVpn.Linux;
using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Cli.Hosting;

/// <summary>
/// Applies what the server pushes in a grant (routes through the tun device, DNS), once per distinct set:
/// a rekey's grant that pushes the same again changes nothing on the host. What the client refuses
/// (<c>accept_routes = false</c>, <c>accept_dns = false</c>) is logged and left alone. A failure is logged
/// and the tunnel stays up.
/// </summary>
internal sealed class PushedApplier(ClientConfig settings, ClientNetwork network, ClientDns dns, ILogger logger)
{
    private PushedSettings? _applied;

    /// <param name="server">The server's address now (a pushed route that holds it keeps it outside the tunnel).</param>
    public void Apply(PushedSettings pushed, NetEndpoint server)
    {
        if (pushed.Equals(_applied))
            return;
        _applied = pushed;
        try
        {
            if (settings.AcceptRoutes)
            {
                var (added, removed) = network.ApplyPushedRoutes(pushed.Routes, server);
                if (added + removed > 0)
                    HostLog.PushedRoutes(logger, settings.Tun, string.Join(", ", pushed.Routes), added, removed);
            }
            else if (pushed.Routes.Count > 0)
            {
                HostLog.PushedRoutesRefused(logger, string.Join(", ", pushed.Routes));
            }
            var hasDns = pushed.DnsServers.Count + pushed.SearchDomains.Count > 0;
            if (settings.AcceptDns)
            {
                var before = dns.Method;
                dns.Apply(pushed.DnsServers, pushed.SearchDomains, settings.DefaultRoute);
                if (hasDns)
                    HostLog.PushedDns(logger, string.Join(", ", pushed.DnsServers), string.Join(", ", pushed.SearchDomains), dns.Method!);
                else if (before is not null)
                    HostLog.PushedDnsReverted(logger, before);
            }
            else if (hasDns)
            {
                HostLog.PushedDnsRefused(logger, string.Join(", ", pushed.DnsServers), string.Join(", ", pushed.SearchDomains));
            }
        }
        catch (SetupException e)
        {
            HostLog.PushedFailed(logger, e.Message);
        }
    }
}

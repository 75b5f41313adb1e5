using MyVpn.Net;

namespace MyVpn.Doctor;

/// <summary>
/// A full-tunnel client (<c>default_route</c>) means every packet to go through the tunnel. Its policy
/// rules look in the main table without its default route first, then send everything else through the
/// tun device; so a DNS server reached by a route of the main table more specific than a default (a
/// resolver on the local network) escapes it. IPv6 is refused or goes through the tunnel, so only an IPv6
/// resolver is in doubt (on the local network it is reached directly). Before the client runs, the routes
/// it will add (the VPN subnet and pushed routes through the tun device) are taken into account, and DNS
/// servers the server pushes (seen by the probe's handshake) stand in for resolv.conf's unless the client
/// refuses them (accept_routes, accept_dns).
/// </summary>
public sealed class FullTunnelLeakCheck : IDoctorCheck<ClientFacts>
{
    public IEnumerable<DoctorLine> Check(ClientFacts facts)
    {
        if (facts.Setup is not { } setup)
            yield break;
        if (!setup.DefaultRoute)
        {
            yield return DoctorLine.Ok("not a full tunnel (default_route off): DNS and IPv6 take their usual ways");
            yield break;
        }
        // the main table without its default routes (suppress_prefixlength 0), then the tunnel's table
        var routes = facts.Routes.Where(r => r.Destination.PrefixLength > 0).ToList();
        var nameservers = facts.Nameservers;
        var ipv6Nameservers = facts.IPv6Nameservers;
        var pushed = "";
        if (facts.Running is null)
        {
            if (facts.Udp.VpnSubnet is { } subnet)
                routes.Add(new RouteEntry(subnet, setup.Tun));
            if (setup.AcceptRoutes)
                routes.AddRange(facts.Udp.PushedRoutes.Select(range => new RouteEntry(range, setup.Tun)));
            if (setup.AcceptDns && facts.Udp.PushedDns.Count > 0)
                (nameservers, ipv6Nameservers, pushed) = (facts.Udp.PushedDns, [], " (pushed by the server)");
        }
        routes.Add(new RouteEntry(IPv4Range.Parse("0.0.0.0/0"), setup.Tun));
        var verb = facts.Running is null ? "would be" : "is";
        if (nameservers.Count == 0 && ipv6Nameservers.Count == 0)
            yield return DoctorLine.Ok("DNS: no nameserver in /etc/resolv.conf");
        foreach (var server in nameservers)
        {
            if (server.Value >> 24 == 127)
            {
                yield return DoctorLine.Warn($"DNS goes to a local resolver at {server}",
                    $"where its queries go is its upstream servers' business (resolvectl status shows them); make sure they are reached through {setup.Tun}");
                continue;
            }
            var route = RouteEntry.Lookup(routes, server);
            if (route is not null && route.Device == setup.Tun)
                yield return DoctorLine.Ok($"DNS server {server}{pushed} {verb} reached through {setup.Tun}");
            else
                yield return DoctorLine.Fail($"DNS server {server}{pushed} {verb} reached through {route?.Device ?? "no route"}, outside the tunnel",
                    "queries would leave in clear past the VPN; use a resolver reached through the tunnel (a VPN address, or one the server pushes) in /etc/resolv.conf");
        }

        foreach (var server in ipv6Nameservers)
            yield return server is "::1"
                ? DoctorLine.Warn($"DNS goes to a local resolver at {server}",
                    $"where its queries go is its upstream servers' business (resolvectl status shows them); make sure they are reached through {setup.Tun}")
                : DoctorLine.Warn($"DNS server {server} is an IPv6 address: reached directly if it is on the local network, else through {setup.Tun} when the session has IPv6, else refused",
                    "queries to a resolver on the local network leave in clear past the VPN; prefer a resolver reached through the tunnel (a VPN address, or one the server pushes)");

        var ipv6 = facts.IPv6DefaultRoutes.Select(dev => $"default route via {dev}")
            .Concat(facts.IPv6GlobalAddresses.Select(address => $"global address {address}"))
            .ToList();
        yield return ipv6.Count == 0
            ? DoctorLine.Ok("IPv6: no default route and no global address, nothing leaves outside the tunnel")
            : DoctorLine.Ok($"IPv6 ({string.Join("; ", ipv6)}) {verb} sent through {setup.Tun} when the session has IPv6, else refused while the tunnel is up: nothing leaves outside it but to the local network");
    }
}

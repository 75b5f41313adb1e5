using MyVpn.Net;

namespace MyVpn.Doctor;

/// <summary>
/// A full-tunnel client (<c>default_route</c>) means every packet to go through the tunnel. Two things
/// escape it: a DNS server reached by a more specific route than the tunnel's halves (a resolver on the
/// local network), and IPv6 (the tunnel carries IPv4 only), when the host has an IPv6 default route or
/// a global IPv6 address. Before the client runs, the routes it will add (0.0.0.0/1, 128.0.0.0/1, the VPN
/// subnet and pushed routes through the tun device, the server through its current path) are taken into
/// account, and DNS servers the server pushes (seen by the probe's handshake) stand in for resolv.conf's
/// unless the client refuses them (accept_routes, accept_dns).
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
        var routes = facts.Routes.ToList();
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
            routes.Add(new RouteEntry(IPv4Range.Parse("0.0.0.0/1"), setup.Tun));
            routes.Add(new RouteEntry(IPv4Range.Parse("128.0.0.0/1"), setup.Tun));
            if (facts.PathDevice is { } path && setup.Server.IsIPv4)
                routes.Add(new RouteEntry(IPv4Range.Single(setup.Server.Address), path.Name));
        }
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
                : DoctorLine.Fail($"DNS server {server} is an IPv6 address, outside the tunnel (it carries IPv4 only)",
                    "queries to it would leave in clear past the VPN; remove it from /etc/resolv.conf while connected, or use a resolver reached through the tunnel");

        var ipv6 = facts.IPv6DefaultRoutes.Select(dev => $"a default route via {dev}")
            .Concat(facts.IPv6GlobalAddresses.Select(address => $"global address {address}"))
            .ToList();
        yield return ipv6.Count == 0
            ? DoctorLine.Ok("IPv6: no default route and no global address, nothing leaves outside the tunnel")
            : DoctorLine.Fail($"IPv6 traffic would leave outside the tunnel ({string.Join("; ", ipv6)})",
                "the tunnel carries IPv4 only; turn IPv6 off while connected (sysctl -w net.ipv6.conf.all.disable_ipv6=1) or accept that IPv6 bypasses the VPN");
    }
}

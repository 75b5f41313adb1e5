using System.Net;
using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>
/// The client's kernel setup for a session: the tun address (which brings the route to the VPN subnet
/// through tun0) and, when the grant has one, its IPv6 address (which brings the route to the IPv6 subnet),
/// the MTU, and with a full tunnel the policy rules and the table of
/// <see cref="FullTunnelRouting"/> (every packet but the daemon's own, which carry its firewall mark, goes
/// through tun0; the default route in the main table stays, unused, so restoring is removing them).
/// Routes the server pushes go through tun0 too, each added once and removed when a later grant drops it;
/// one that covers the server's own address gets a host route to the server through the path it has now
/// first (so the tunnel's own UDP and TCP never loop into tun0).
/// </summary>
internal sealed class ClientNetwork(string tun, UndoJournal journal)
{
    private (IPv4Address Address, int Prefix, int Mtu, string? Ipv6)? _applied;
    /// <summary>The full tunnel's rules and table routes in place, each with the journal step that removes it (null: not ours).</summary>
    private readonly Dictionary<PolicyEntry, UndoStep?> _fullTunnel = [];
    private KernelRoute? _toServer;
    private uint _mark;

    /// <summary>The pushed routes in place, each with the journal step that removes it (null: it was there already, not ours).</summary>
    private readonly Dictionary<IPv4Range, UndoStep?> _pushed = [];

    /// <summary>Whether the tun device has the session's IPv6 address (the last <see cref="Apply"/> got one): a full tunnel then takes IPv6 in.</summary>
    public bool CarriesIPv6 => _applied is { Ipv6: not null };

    /// <summary>Applies a session's settings; returns false when they are what is already applied.</summary>
    /// <param name="ipv6">The client's IPv6 address and the IPv6 subnet's prefix length; null: the tunnel carries IPv4 only.</param>
    public bool Apply(IPv4Address address, int prefixLength, int mtu, (IPAddress Address, int PrefixLength)? ipv6 = null)
    {
        var six = ipv6 is { } v6 ? $"{v6.Address}/{v6.PrefixLength}" : null;
        if (_applied == (address, prefixLength, mtu, six))
            return false;
        if (ipv6 is null)
            NetInterface.DisableIPv6(tun);
        else
            NetInterface6.Enable(tun, mtu);
        NetInterface.SetMtu(tun, mtu);
        NetInterface.SetAddress(tun, address, prefixLength);
        if (ipv6 is { } granted)
            NetInterface6.SetAddress(tun, granted.Address, granted.PrefixLength);
        NetInterface.SetUp(tun);
        _applied = (address, prefixLength, mtu, six);
        return true;
    }

    /// <summary>
    /// Sends everything but the packets marked <paramref name="mark"/> (the daemon's own) through the
    /// tunnel, IPv6 too when <paramref name="ipv6"/> (else IPv6 is refused while the tunnel is up). Returns
    /// false when that is what is in place already; a change of <paramref name="ipv6"/> swaps the IPv6 route.
    /// </summary>
    public bool RouteAllTraffic(uint mark, bool ipv6)
    {
        _mark = mark;
        var wanted = FullTunnelRouting.Entries(tun, mark, ipv6, PolicyRouting.KernelHasIPv6);
        var changed = false;
        foreach (var (entry, step) in _fullTunnel.Where(e => !wanted.Contains(e.Key)).ToList())
        {
            if (step is not null)
            {
                step.Undo();
                journal.Forget(step);
            }
            _fullTunnel.Remove(entry);
            changed = true;
        }
        if (_fullTunnel.Count == 0 && Sysctl.Read(FullTunnelRouting.SrcValidMark) != "1")
        {
            journal.Record(UndoStep.ForSysctl(FullTunnelRouting.SrcValidMark, Sysctl.Read(FullTunnelRouting.SrcValidMark)));
            Sysctl.Write(FullTunnelRouting.SrcValidMark, "1");
        }
        foreach (var entry in wanted.Where(e => !_fullTunnel.ContainsKey(e)))
        {
            var step = UndoStep.ForPolicy(entry);
            journal.Record(step);
            if (!PolicyRouting.TryAdd(entry))
            {
                journal.Forget(step);
                step = null;
            }
            _fullTunnel[entry] = step;
            changed = true;
        }
        return changed;
    }

    /// <summary>
    /// Makes the pushed routes the ones through the tun device: adds those not there yet, removes those a
    /// later grant no longer lists. Returns how many were added and removed (0, 0 for the same list).
    /// </summary>
    public (int Added, int Removed) ApplyPushedRoutes(IReadOnlyList<IPv4Range> routes, NetEndpoint server)
    {
        var removed = 0;
        foreach (var (route, step) in _pushed.Where(p => !routes.Contains(p.Key)).ToList())
        {
            if (step is not null)
            {
                step.Undo();
                journal.Forget(step);
            }
            _pushed.Remove(route);
            removed++;
        }
        var added = 0;
        foreach (var route in routes.Where(r => !_pushed.ContainsKey(r)))
        {
            if (server.IsIPv4 && route.Contains(server.Address))
                KeepServerOutside(server.Address);
            _pushed[route] = Add(new KernelRoute(route.ToString(), null, tun));
            added++;
        }
        return (added, removed);
    }

    /// <summary>A host route to the server through the path it has now, so no route into the tunnel catches the tunnel's own packets.</summary>
    private KernelRoute KeepServerOutside(IPv4Address server)
    {
        if (_toServer is not null)
            return _toServer;
        var toServer = Routes.Lookup(server, _mark);
        if (toServer.Device == tun)
            throw new SetupException($"the route to the server {server} already goes through {tun}: remove it first");
        Add(toServer);
        return _toServer = toServer;
    }

    /// <summary>Adds the route, journalled; returns the step that removes it, or null when the route was there already (not ours).</summary>
    private UndoStep? Add(KernelRoute route)
    {
        var step = UndoStep.ForRoute(route);
        journal.Record(step);
        if (Routes.TryAdd(route))
            return step;
        journal.Forget(step);
        return null;
    }
}

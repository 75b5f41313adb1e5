using System.Net;
using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>
/// The client's kernel setup for a session: the tun address (which brings the route to the VPN subnet
/// through tun0) and, when the grant has one, its IPv6 address (which brings the route to the IPv6 subnet), the MTU, and with a full tunnel a host route to the server through the path it has
/// now (so the tunnel's own UDP and TCP never loop into tun0), then 0.0.0.0/1 and 128.0.0.0/1 through
/// tun0: together they override the default route without replacing it, so restoring is removing them.
/// Routes the server pushes go through tun0 too, each added once and removed when a later grant drops it;
/// one that covers the server's own address gets the same host route to the server first.
/// </summary>
internal sealed class ClientNetwork(string tun, UndoJournal journal)
{
    private (IPv4Address Address, int Prefix, int Mtu, string? Ipv6)? _applied;
    private bool _fullTunnel;
    private KernelRoute? _toServer;

    /// <summary>The pushed routes in place, each with the journal step that removes it (null: it was there already, not ours).</summary>
    private readonly Dictionary<IPv4Range, UndoStep?> _pushed = [];

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
    /// Sends everything through the tunnel except the traffic to <paramref name="server"/>; returns the
    /// route kept to the server, or null when this was done before.
    /// </summary>
    public KernelRoute? RouteAllTraffic(IPv4Address server)
    {
        if (_fullTunnel)
            return null;
        var toServer = KeepServerOutside(server);
        Add(new KernelRoute("0.0.0.0/1", null, tun));
        Add(new KernelRoute("128.0.0.0/1", null, tun));
        _fullTunnel = true;
        return toServer;
    }

    /// <summary>
    /// Makes the pushed routes the ones through the tun device: adds those not there yet, removes those a
    /// later grant no longer lists. Returns how many were added and removed (0, 0 for the same list).
    /// </summary>
    public (int Added, int Removed) ApplyPushedRoutes(IReadOnlyList<IPv4Range> routes, IPv4Address server)
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
            if (route.Contains(server))
                KeepServerOutside(server);
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
        var toServer = Routes.Lookup(server);
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

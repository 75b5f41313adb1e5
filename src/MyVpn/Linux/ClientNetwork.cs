using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>
/// The client's kernel setup for a session: the tun address (which brings the route to the VPN subnet
/// through tun0), the MTU, and with a full tunnel a host route to the server through the path it has
/// now (so the tunnel's own UDP and TCP never loop into tun0), then 0.0.0.0/1 and 128.0.0.0/1 through
/// tun0: together they override the default route without replacing it, so restoring is removing them.
/// </summary>
internal sealed class ClientNetwork(string tun, UndoJournal journal)
{
    private (IPv4Address Address, int Prefix, int Mtu)? _applied;
    private bool _fullTunnel;

    /// <summary>Applies a session's settings; returns false when they are what is already applied.</summary>
    public bool Apply(IPv4Address address, int prefixLength, int mtu)
    {
        if (_applied == (address, prefixLength, mtu))
            return false;
        NetInterface.DisableIPv6(tun);
        NetInterface.SetMtu(tun, mtu);
        NetInterface.SetAddress(tun, address, prefixLength);
        NetInterface.SetUp(tun);
        _applied = (address, prefixLength, mtu);
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
        var toServer = Routes.Lookup(server);
        if (toServer.Device == tun)
            throw new SetupException($"the route to the server {server} already goes through {tun}: remove it first");
        Add(toServer);
        Add(new KernelRoute("0.0.0.0/1", null, tun));
        Add(new KernelRoute("128.0.0.0/1", null, tun));
        _fullTunnel = true;
        return toServer;
    }

    private void Add(KernelRoute route)
    {
        var step = UndoStep.ForRoute(route);
        journal.Record(step);
        if (!Routes.TryAdd(route))
            journal.Forget(step);
    }
}

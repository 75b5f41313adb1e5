using MyVpn.Net;

namespace MyVpn.Captures;

/// <summary>UDP datagrams between two endpoints that are not MyVpn traffic, with the reason and how many were seen.</summary>
public sealed record ForeignFlow(NetEndpoint Source, NetEndpoint Destination, string Reason)
{
    public int Datagrams { get; set; }
}

using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Server;

/// <summary>The server's routing decision for one inner packet.</summary>
public readonly record struct Route(RouteKind Kind, IPv4Address Destination = default, DropReason Reason = default)
{
    public static Route Drop(DropReason reason) => new(RouteKind.Drop, Reason: reason);
}

using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Server;

/// <summary>
/// Decides where an inner packet goes (pure, no lookups of sessions): a packet from a client must
/// carry that client's own source address; a destination inside the VPN subnet other than the
/// server's address goes to that client (unless the policy isolates clients); the server's address
/// goes to the server's tun, where the kernel answers it; everything outside the subnet goes there
/// too, to be forwarded (NAT), when the <see cref="ReachPolicy"/> lets clients reach it.
/// </summary>
public sealed class Router(IPv4Subnet subnet, IPv4Address serverAddress, ReachPolicy policy)
{
    public Route FromClient(ReadOnlySpan<byte> packet, IPv4Address clientAddress)
    {
        if (IPv4Header.VersionOf(packet) != 4)
            return Route.Drop(DropReason.NotIPv4);
        if (!IPv4Header.TryReadAddresses(packet, out var source, out var destination))
            return Route.Drop(DropReason.MalformedInnerPacket);
        if (source != clientAddress)
            return Route.Drop(DropReason.SpoofedSource);
        if (!subnet.Contains(destination))
            return policy.Allows(destination, out var blocked) ? new Route(RouteKind.ToTun, destination) : Route.Drop(blocked);
        var route = ToDestination(destination);
        return route.Kind == RouteKind.ToClient && !policy.ClientToClient ? Route.Drop(DropReason.ClientIsolation) : route;
    }

    /// <summary>A packet the server's kernel wrote to tun: only clients' addresses are reachable this way.</summary>
    public Route FromTun(ReadOnlySpan<byte> packet)
    {
        if (IPv4Header.VersionOf(packet) != 4)
            return Route.Drop(DropReason.NotIPv4);
        if (!IPv4Header.TryReadAddresses(packet, out _, out var destination))
            return Route.Drop(DropReason.MalformedInnerPacket);
        var route = ToDestination(destination);
        return route.Kind == RouteKind.ToClient ? route : Route.Drop(DropReason.NoSuchClient);
    }

    private Route ToDestination(IPv4Address destination)
    {
        if (!subnet.Contains(destination) || destination == serverAddress)
            return new Route(RouteKind.ToTun, destination);
        if (destination == subnet.Network || destination == subnet.Broadcast)
            return Route.Drop(DropReason.NoSuchClient);
        return new Route(RouteKind.ToClient, destination);
    }
}

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
/// <remarks>
/// IPv6 (when the server has an IPv6 subnet) follows the same rules with <see cref="ReachPolicy6"/>. A client's
/// IPv6 address is host <c>n</c> of the IPv6 subnet when its IPv4 address is host <c>n</c> of the IPv4 one, so
/// an IPv6 destination inside the subnet names the client by its IPv4 address (<see cref="Route.Destination"/>)
/// and the sessions stay in one table.
/// </remarks>
public sealed class Router(IPv4Subnet subnet, IPv4Address serverAddress, ReachPolicy policy,
    IPv6Subnet? subnet6 = null, ReachPolicy6? policy6 = null)
{
    /// <param name="clientHasIpv6">Whether the sending session was granted IPv6 (else its IPv6 packets are <see cref="DropReason.NotIPv4"/>).</param>
    public Route FromClient(ReadOnlySpan<byte> packet, IPv4Address clientAddress, bool clientHasIpv6 = true)
    {
        var version = IPv4Header.VersionOf(packet);
        if (version == 6 && clientHasIpv6 && subnet6 is { } v6)
            return FromClient6(packet, clientAddress, v6);
        if (version != 4)
            return Route.Drop(DropReason.NotIPv4);
        if (!IPv4Header.TryReadAddresses(packet, out var source, out var destination))
            return Route.Drop(DropReason.MalformedInnerPacket);
        if (source != clientAddress)
            return Route.Drop(DropReason.SpoofedSource);
        if (!subnet.Contains(destination))
            return policy.Allows(destination, out var blocked) ? new Route(RouteKind.ToTun, destination) : Route.Drop(blocked);
        return Isolated(ToDestination(destination));
    }

    /// <summary>A packet the server's kernel wrote to tun: only clients' addresses are reachable this way.</summary>
    public Route FromTun(ReadOnlySpan<byte> packet)
    {
        var version = IPv4Header.VersionOf(packet);
        if (version == 6 && subnet6 is { } v6)
        {
            if (!IPv6Header.TryReadAddresses(packet, out _, out var destination6))
                return Route.Drop(DropReason.MalformedInnerPacket);
            var route6 = ToDestination6(destination6, v6);
            return route6.Kind == RouteKind.ToClient ? route6 : Route.Drop(DropReason.NoSuchClient);
        }
        if (version != 4)
            return Route.Drop(DropReason.NotIPv4);
        if (!IPv4Header.TryReadAddresses(packet, out _, out var destination))
            return Route.Drop(DropReason.MalformedInnerPacket);
        var route = ToDestination(destination);
        return route.Kind == RouteKind.ToClient ? route : Route.Drop(DropReason.NoSuchClient);
    }

    private Route FromClient6(ReadOnlySpan<byte> packet, IPv4Address clientAddress, IPv6Subnet v6)
    {
        if (!IPv6Header.TryReadAddresses(packet, out var source, out var destination))
            return Route.Drop(DropReason.MalformedInnerPacket);
        if (!v6.TryHostIndex(source, out var n) || n != IndexOf(clientAddress))
            return Route.Drop(DropReason.SpoofedSource);
        if (!v6.Contains(destination))
            return policy6!.Allows(destination, out var blocked) ? new Route(RouteKind.ToTun) : Route.Drop(blocked);
        return Isolated(ToDestination6(destination, v6));
    }

    private Route Isolated(Route route) =>
        route.Kind == RouteKind.ToClient && !policy.ClientToClient ? Route.Drop(DropReason.ClientIsolation) : route;

    private Route ToDestination(IPv4Address destination)
    {
        if (!subnet.Contains(destination) || destination == serverAddress)
            return new Route(RouteKind.ToTun, destination);
        if (destination == subnet.Network || destination == subnet.Broadcast)
            return Route.Drop(DropReason.NoSuchClient);
        return new Route(RouteKind.ToClient, destination);
    }

    /// <summary>An IPv6 destination inside the subnet: the server (its tun), a client's host index (by its IPv4 address), or no one.</summary>
    private Route ToDestination6(ReadOnlySpan<byte> destination, IPv6Subnet v6)
    {
        if (!v6.Contains(destination))
            return new Route(RouteKind.ToTun);
        if (!v6.TryHostIndex(destination, out var n) || n == 0 || n > (uint)subnet.HostCount)
            return Route.Drop(DropReason.NoSuchClient);
        var address = subnet.Host((int)n);
        return address == serverAddress ? new Route(RouteKind.ToTun, address) : new Route(RouteKind.ToClient, address);
    }

    private uint IndexOf(IPv4Address address) => address.Value - subnet.Network.Value;
}

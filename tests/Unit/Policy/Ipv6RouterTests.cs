using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Server;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Policy;

/// <summary>The router's IPv6 decisions: anti-spoofing, the destination inside the subnet by host index, the reach policy.</summary>
public sealed class Ipv6RouterTests
{
    private static readonly IPv4Subnet Subnet = IPv4Subnet.Parse("10.0.0.0/24");
    private static readonly IPv4Address ServerVpn = IPv4Address.Parse("10.0.0.1");
    private static readonly IPv6Subnet Subnet6 = IPv6Subnet.Parse("fd00:1:2:3::/64");
    private static readonly IPv6Address ServerVpn6 = IPv6Address.Parse("fd00:1:2:3::1");
    private static readonly IPv4Address Client = IPv4Address.Parse("10.0.0.2");

    private static Router RouterWith(string[]? block = null, string[]? allow = null, bool clientToClient = true) =>
        new(Subnet, ServerVpn, new ReachPolicy(Subnet, ServerVpn, [], [], [], clientToClient), Subnet6,
            new ReachPolicy6(Subnet6, ServerVpn6, [IPv6Address.Parse("2001:db8:ffff::1"), ServerVpn6],
                (block ?? []).Select(IPv6Range.Parse), (allow ?? []).Select(IPv6Range.Parse)));

    private static Route From(Router router, string source, string destination) =>
        router.FromClient(Packets.IPv6(source, destination), Client);

    [Theory]
    [InlineData("fd00:1:2:3::3")] // another client's address
    [InlineData("fd00:1:2:3::1")] // the server's
    [InlineData("fd00:1:2:3:1::2")] // its own index, but host bits above 32 set
    [InlineData("2001:db8:1::2")] // outside the subnet
    [InlineData("fe80::2")] // link-local
    public void Source_other_than_the_clients_own_ipv6_address_is_spoofed(string source)
    {
        Assert.Equal(Route.Drop(DropReason.SpoofedSource), From(RouterWith(), source, "2001:db8:1::8"));
    }

    [Theory]
    [InlineData("fd00:1:2:3::3", RouteKind.ToClient, "10.0.0.3")]
    [InlineData("fd00:1:2:3::fe", RouteKind.ToClient, "10.0.0.254")]
    [InlineData("fd00:1:2:3::1", RouteKind.ToTun, "10.0.0.1")]
    public void Destination_inside_the_subnet_names_the_host_of_the_same_index(string destination, RouteKind kind, string ipv4)
    {
        Assert.Equal(new Route(kind, IPv4Address.Parse(ipv4)), From(RouterWith(), "fd00:1:2:3::2", destination));
    }

    [Theory]
    [InlineData("fd00:1:2:3::")] // index 0
    [InlineData("fd00:1:2:3::ff")] // the IPv4 broadcast's index
    [InlineData("fd00:1:2:3::100")] // past the IPv4 subnet
    public void Destination_inside_the_subnet_with_no_host_is_no_such_client(string destination)
    {
        Assert.Equal(Route.Drop(DropReason.NoSuchClient), From(RouterWith(), "fd00:1:2:3::2", destination));
    }

    [Fact]
    public void Allow_wins_over_block_and_over_the_defaults()
    {
        var router = RouterWith(block: ["2001:db8:bad::/48"], allow: ["2001:db8:bad::9", "fe80::/10"]);
        Assert.Equal(RouteKind.ToTun, From(router, "fd00:1:2:3::2", "2001:db8:bad::9").Kind);
        Assert.Equal(RouteKind.ToTun, From(router, "fd00:1:2:3::2", "fe80::1").Kind);
        Assert.Equal(Route.Drop(DropReason.BlockedRange), From(router, "fd00:1:2:3::2", "2001:db8:bad::8"));
        Assert.Equal(Route.Drop(DropReason.BlockedHostAddress), From(router, "fd00:1:2:3::2", "2001:db8:ffff::1"));
    }

    [Fact]
    public void Ipv4_rules_do_not_touch_ipv6_and_ipv6_packets_without_subnet6_are_not_carried()
    {
        var ipv4Only = new Router(Subnet, ServerVpn, new ReachPolicy(Subnet, ServerVpn, [], [IPv4Range.Parse("0.0.0.0/0")], [], true));
        Assert.Equal(Route.Drop(DropReason.NotIPv4), From(ipv4Only, "fd00:1:2:3::2", "2001:db8:1::8"));
        Assert.Equal(RouteKind.ToTun, From(RouterWith(), "fd00:1:2:3::2", "2001:db8:1::8").Kind);
    }

    [Fact]
    public void From_tun_only_clients_ipv6_addresses_are_reachable()
    {
        var router = RouterWith();
        Assert.Equal(new Route(RouteKind.ToClient, IPv4Address.Parse("10.0.0.7")),
            router.FromTun(Packets.IPv6("2001:db8:1::8", "fd00:1:2:3::7")));
        Assert.Equal(Route.Drop(DropReason.NoSuchClient), router.FromTun(Packets.IPv6("fd00:1:2:3::7", "2001:db8:1::8")));
        Assert.Equal(Route.Drop(DropReason.NoSuchClient), router.FromTun(Packets.IPv6("2001:db8:1::8", "fd00:1:2:3::1")));
        Assert.Equal(Route.Drop(DropReason.MalformedInnerPacket), router.FromTun(Packets.IPv6("2001:db8:1::8", "fd00:1:2:3::7")[..39]));
    }

    [Fact]
    public void Routing_ipv6_through_the_policy_allocates_nothing_per_packet()
    {
        var router = RouterWith(block: ["2001:db8:bad::/48"], allow: ["2001:db8:bad::9"], clientToClient: false);
        byte[][] packets = [.. ((string[])["2001:db8:1::8", "2001:db8:bad::1", "fe80::1", "2001:db8:bad::9", "fd00:1:2:3::3", "fd00:1:2:3::1"])
            .Select(d => Packets.IPv6("fd00:1:2:3::2", d)), Packets.IPv6("fd00:1:2:3::9", "2001:db8:1::8")];
        foreach (var packet in packets)
        {
            router.FromClient(packet, Client); // warm up
            router.FromTun(packet);
        }

        // as in RouterPolicyTests: the quietest of three rounds must be zero (tiering may allocate in one)
        var allocated = long.MaxValue;
        var dropped = 0;
        for (var round = 0; round < 3; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            dropped = 0;
            for (var i = 0; i < 10_000; i++)
            {
                if (router.FromClient(packets[i % packets.Length], Client).Kind == RouteKind.Drop)
                    dropped++;
                router.FromTun(packets[i % packets.Length]);
            }
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, allocated);
        Assert.True(dropped > 0);
    }
}

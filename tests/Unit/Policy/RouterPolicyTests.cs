using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Server;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Policy;

/// <summary>What clients may reach, as the router decides it: the defaults, block, allow and client_to_client.</summary>
public sealed class RouterPolicyTests
{
    private static readonly IPv4Subnet Subnet = IPv4Subnet.Parse("10.0.0.0/24");
    private static readonly IPv4Address ServerVpn = IPv4Address.Parse("10.0.0.1");
    private static readonly IPv4Address[] HostAddresses =
        [IPv4Address.Parse("192.0.2.1"), IPv4Address.Parse("203.0.113.1"), IPv4Address.Parse("127.0.0.1"), ServerVpn];

    private static Router RouterWith(string[]? block = null, string[]? allow = null, bool clientToClient = true) =>
        new(Subnet, ServerVpn, new ReachPolicy(Subnet, ServerVpn, HostAddresses,
            (block ?? []).Select(IPv4Range.Parse), (allow ?? []).Select(IPv4Range.Parse), clientToClient));

    private static Route From(Router router, string destination, string source = "10.0.0.2") =>
        router.FromClient(Packets.IPv4(source, destination), IPv4Address.Parse(source));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("203.0.113.8")]
    [InlineData("192.0.2.2")] // a neighbour on the server's LAN, not the server host itself
    [InlineData("10.0.0.1")] // the server's VPN address, although it is one of the host's addresses
    [InlineData("169.253.255.255")]
    [InlineData("169.255.0.0")]
    [InlineData("223.255.255.255")]
    public void By_default_the_internet_and_the_servers_vpn_address_go_to_tun(string destination)
    {
        var route = From(RouterWith(), destination);
        Assert.Equal(new Route(RouteKind.ToTun, IPv4Address.Parse(destination)), route);
    }

    [Theory]
    [InlineData("192.0.2.1")]
    [InlineData("203.0.113.1")]
    public void By_default_the_server_hosts_own_addresses_are_dropped(string destination)
    {
        Assert.Equal(Route.Drop(DropReason.BlockedHostAddress), From(RouterWith(), destination));
    }

    [Theory]
    [InlineData("169.254.169.254")] // cloud metadata
    [InlineData("169.254.0.0")]
    [InlineData("169.254.255.255")]
    [InlineData("127.0.0.1")] // loopback (also a host address: the range wins nothing, both are blocked)
    [InlineData("127.1.2.3")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")] // multicast
    [InlineData("255.255.255.255")] // limited broadcast
    [InlineData("240.0.0.1")] // reserved
    public void By_default_link_local_loopback_and_multicast_are_dropped(string destination)
    {
        var route = From(RouterWith(), destination);
        Assert.Equal(RouteKind.Drop, route.Kind);
        Assert.True(route.Reason is DropReason.BlockedRange or DropReason.BlockedHostAddress, route.ToString());
    }

    [Fact]
    public void A_block_range_is_dropped_and_its_neighbours_pass()
    {
        var router = RouterWith(block: ["198.51.100.0/24", "192.168.1.7"]);
        Assert.Equal(Route.Drop(DropReason.BlockedRange), From(router, "198.51.100.0"));
        Assert.Equal(Route.Drop(DropReason.BlockedRange), From(router, "198.51.100.255"));
        Assert.Equal(Route.Drop(DropReason.BlockedRange), From(router, "192.168.1.7"));
        Assert.Equal(RouteKind.ToTun, From(router, "198.51.99.255").Kind);
        Assert.Equal(RouteKind.ToTun, From(router, "198.51.101.0").Kind);
        Assert.Equal(RouteKind.ToTun, From(router, "192.168.1.6").Kind);
        Assert.Equal(RouteKind.ToTun, From(router, "192.168.1.8").Kind);
    }

    [Fact]
    public void Allow_reopens_part_of_a_block_range_a_default_range_and_a_host_address()
    {
        var router = RouterWith(block: ["203.0.113.0/24"], allow: ["203.0.113.8/29", "169.254.169.254", "192.0.2.1/32"]);
        Assert.Equal(RouteKind.ToTun, From(router, "203.0.113.8").Kind);
        Assert.Equal(RouteKind.ToTun, From(router, "203.0.113.15").Kind);
        Assert.Equal(Route.Drop(DropReason.BlockedRange), From(router, "203.0.113.7"));
        Assert.Equal(Route.Drop(DropReason.BlockedRange), From(router, "203.0.113.16"));
        Assert.Equal(RouteKind.ToTun, From(router, "169.254.169.254").Kind);
        Assert.Equal(Route.Drop(DropReason.BlockedRange), From(router, "169.254.169.253"));
        Assert.Equal(RouteKind.ToTun, From(router, "192.0.2.1").Kind);
        Assert.Equal(Route.Drop(DropReason.BlockedHostAddress), From(router, "203.0.113.1"));
    }

    [Fact]
    public void Allow_everything_opens_every_range_outside_the_subnet()
    {
        var router = RouterWith(block: ["0.0.0.0/0"], allow: ["0.0.0.0/0"]);
        foreach (var destination in (string[])["0.0.0.0", "169.254.169.254", "192.0.2.1", "255.255.255.255", "8.8.8.8"])
            Assert.Equal(RouteKind.ToTun, From(router, destination).Kind);
    }

    [Fact]
    public void Block_and_allow_do_not_apply_inside_the_vpn_subnet()
    {
        // Blocking every private range must not cut clients off from the server or from each other.
        var router = RouterWith(block: ["10.0.0.0/8"]);
        Assert.Equal(RouteKind.ToTun, From(router, "10.0.0.1").Kind);
        Assert.Equal(RouteKind.ToClient, From(router, "10.0.0.3").Kind);
        Assert.Equal(Route.Drop(DropReason.BlockedRange), From(router, "10.0.1.1"));
    }

    [Fact]
    public void Clients_reach_each_other_by_default()
    {
        Assert.Equal(new Route(RouteKind.ToClient, IPv4Address.Parse("10.0.0.3")), From(RouterWith(), "10.0.0.3"));
    }

    [Fact]
    public void Client_to_client_false_drops_packets_between_clients_but_not_to_the_server()
    {
        var router = RouterWith(clientToClient: false);
        Assert.Equal(Route.Drop(DropReason.ClientIsolation), From(router, "10.0.0.3"));
        Assert.Equal(Route.Drop(DropReason.ClientIsolation), From(router, "10.0.0.2", source: "10.0.0.3"));
        Assert.Equal(RouteKind.ToTun, From(router, "10.0.0.1").Kind);
        Assert.Equal(RouteKind.ToTun, From(router, "8.8.8.8").Kind);
        // replies from the server's kernel still reach every client
        Assert.Equal(RouteKind.ToClient, router.FromTun(Packets.IPv4("10.0.0.1", "10.0.0.3")).Kind);
    }

    [Fact]
    public void Spoofing_is_still_checked_before_the_policy()
    {
        var router = RouterWith(clientToClient: false);
        Assert.Equal(Route.Drop(DropReason.SpoofedSource),
            router.FromClient(Packets.IPv4("10.0.0.3", "169.254.169.254"), IPv4Address.Parse("10.0.0.2")));
    }

    [Fact]
    public void Overlapping_and_unsorted_ranges_give_the_same_decisions_as_a_naive_check()
    {
        // Random ranges against a straightforward reading of the precedence, over many addresses.
        var random = new Random(12);
        for (var round = 0; round < 40; round++)
        {
            var block = Enumerable.Range(0, random.Next(0, 8)).Select(_ => RandomRange(random)).ToList();
            var allow = Enumerable.Range(0, random.Next(0, 5)).Select(_ => RandomRange(random)).ToList();
            var policy = new ReachPolicy(Subnet, ServerVpn, HostAddresses, block, allow, clientToClient: true);
            for (var i = 0; i < 2000; i++)
            {
                var address = new IPv4Address(i % 2 == 0 ? (uint)random.NextInt64(0, 1L << 32) : Near(random, block, allow));
                if (Subnet.Contains(address))
                    continue;
                DropReason? expected = allow.Any(r => r.Contains(address)) ? null
                    : HostAddresses.Contains(address) && address != ServerVpn ? DropReason.BlockedHostAddress
                    : block.Concat(ReachPolicy.BlockedByDefault).Any(r => r.Contains(address)) ? DropReason.BlockedRange
                    : null;
                var allowed = policy.Allows(address, out var reason);
                Assert.Equal(expected, allowed ? null : reason);
            }
        }
    }

    [Fact]
    public void Routing_through_the_policy_allocates_nothing_per_packet()
    {
        var router = RouterWith(block: ["198.51.100.0/24", "192.168.0.0/16", "172.16.0.0/12"], allow: ["192.168.1.10"], clientToClient: false);
        var client = IPv4Address.Parse("10.0.0.2");
        byte[][] packets = [.. ((string[])["8.8.8.8", "192.0.2.1", "169.254.169.254", "192.168.1.10", "10.0.0.3", "10.0.0.1"])
            .Select(d => Packets.IPv4("10.0.0.2", d))];
        foreach (var packet in packets)
            router.FromClient(packet, client); // warm up

        // The runtime may allocate on this thread while it recompiles the loop (tiering, on-stack replacement),
        // which a loaded machine can delay into any one round; per-packet garbage would show in every round
        // (at least 10 000 allocations), so the quietest of three rounds must be zero.
        var allocated = long.MaxValue;
        var dropped = 0;
        for (var round = 0; round < 3; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            dropped = 0;
            for (var i = 0; i < 10_000; i++)
                if (router.FromClient(packets[i % packets.Length], client).Kind == RouteKind.Drop)
                    dropped++;
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, allocated);
        Assert.Equal(5000, dropped); // 192.0.2.1, 169.254.169.254, 10.0.0.3: half of each round
    }

    private static IPv4Range RandomRange(Random random) =>
        new(new IPv4Address((uint)random.NextInt64(0, 1L << 32)), random.Next(4, 33));

    /// <summary>An address at or next to an edge of one of the ranges, where mistakes would show.</summary>
    private static uint Near(Random random, List<IPv4Range> block, List<IPv4Range> allow)
    {
        var all = block.Concat(allow).Concat(ReachPolicy.BlockedByDefault).ToList();
        var range = all[random.Next(all.Count)];
        var edge = random.Next(2) == 0 ? range.First.Value : range.Last.Value;
        return unchecked(edge + (uint)random.Next(-1, 2));
    }
}

using CsCheck;
using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Server;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Models;

/// <summary>
/// The router (with its reach policy) against a naive model that reads the rules straight off the ranges,
/// one linear scan per packet, under random configurations (block and allow ranges, host addresses,
/// client isolation) and random sequences of packets from clients and from tun, malformed ones included;
/// each decision is compared, and CsCheck shrinks a failure to the smallest configuration and sequence.
/// </summary>
public sealed class RouterModelTests
{
    private static readonly IPv4Subnet Subnet = IPv4Subnet.Parse("10.0.0.0/28");
    private static readonly IPv4Address Server = IPv4Address.Parse("10.0.0.1");

    private static readonly IPv4Address[] Outside = [.. new[]
    {
        "0.0.0.5", "1.0.0.0", "8.8.8.8", "9.255.255.255", "10.0.0.16", "10.1.2.3", "127.0.0.1", "169.253.255.255",
        "169.254.169.254", "172.16.0.1", "192.168.1.1", "192.168.1.77", "223.255.255.255", "224.0.0.1",
        "239.255.255.255", "255.255.255.255",
    }.Select(IPv4Address.Parse)];

    private static readonly IPv4Range[] Blocks = [.. new[] { "10.0.0.0/8", "192.168.0.0/16", "8.8.8.8/32", "172.16.0.0/12", "0.0.0.0/0" }.Select(IPv4Range.Parse)];
    private static readonly IPv4Range[] Allows = [.. new[] { "127.0.0.0/8", "169.254.169.254/32", "192.168.1.0/24", "8.0.0.0/7", "224.0.0.0/4" }.Select(IPv4Range.Parse)];
    private static readonly IPv4Address[] HostCandidates = [.. new[] { "192.168.1.1", "10.0.0.1", "10.0.0.5", "172.16.0.1", "8.8.8.8" }.Select(IPv4Address.Parse)];

    /// <summary>The router's configuration.</summary>
    public sealed record Config(IPv4Range[] Block, IPv4Range[] Allow, IPv4Address[] Hosts, bool ClientToClient)
    {
        public override string ToString() =>
            $"block [{string.Join(", ", Block)}] allow [{string.Join(", ", Allow)}] hosts [{string.Join(", ", Hosts)}] c2c {ClientToClient}";
    }

    /// <summary>One packet: from client <see cref="Client"/> (or from tun), well formed, truncated, IPv6 or empty.</summary>
    public sealed record Op(bool FromTun, int Shape, IPv4Address Client, IPv4Address Source, IPv4Address Destination)
    {
        public override string ToString() =>
            $"{(FromTun ? "tun" : $"client {Client}")}: {(Shape switch { 0 => "ipv4", 1 => "truncated", 2 => "ipv6", _ => "empty" })} {Source} -> {Destination}";
    }

    // Every address of the subnet (network, hosts, broadcast) and the addresses around the ranges' edges.
    private static readonly Gen<IPv4Address> GenAddress =
        Gen.Int[0, 15 + Outside.Length].Select(i => i < 16 ? Subnet.Host(i) : Outside[i - 16]);

    private static readonly Gen<IPv4Address> GenClient = Gen.Int[2, 14].Select(Subnet.Host);

    private static readonly Gen<Config> GenConfig = Gen.Select(Gen.Int[0, Blocks.Length - 1].Array[0, 2],
        Gen.Int[0, Allows.Length - 1].Array[0, 2], Gen.Int[0, HostCandidates.Length - 1].Array[0, 2], Gen.Bool,
        (b, a, h, c2c) => new Config([.. b.Select(i => Blocks[i])], [.. a.Select(i => Allows[i])], [.. h.Select(i => HostCandidates[i])], c2c));

    // Mostly well-formed packets, half of them with the client's own source address.
    private static readonly Gen<Op> GenOp = Gen.Select(Gen.Bool, Gen.Int[0, 9], GenClient, GenAddress, GenAddress, Gen.Bool,
        (fromTun, shape, client, source, destination, own) =>
            new Op(fromTun, shape < 7 ? 0 : shape - 6, client, own ? client : source, destination));

    [Fact]
    public void Router_matches_the_model_for_every_packet()
    {
        Fuzz.Fuzz.Check(Gen.Select(GenConfig, GenOp.Array[1, 30]), (config, ops) =>
        {
            var router = new Router(Subnet, Server,
                new ReachPolicy(Subnet, Server, config.Hosts, config.Block, config.Allow, config.ClientToClient));
            foreach (var op in ops)
            {
                var packet = Packet(op);
                var actual = op.FromTun ? router.FromTun(packet) : router.FromClient(packet, op.Client);
                var expected = op.FromTun ? ModelFromTun(op) : ModelFromClient(config, op);
                Assert.Equal(expected, actual);
            }
        });
    }

    private static byte[] Packet(Op op) => op.Shape switch
    {
        0 => Packets.IPv4(op.Source.ToString(), op.Destination.ToString()),
        1 => Packets.IPv4(op.Source.ToString(), op.Destination.ToString())[..30], // total length says more
        2 => Packets.IPv6("fd00::2", "fd00::3"),
        _ => [],
    };

    private static Route ModelFromClient(Config config, Op op)
    {
        if (op.Shape is 2 or 3)
            return Route.Drop(DropReason.NotIPv4);
        if (op.Shape == 1)
            return Route.Drop(DropReason.MalformedInnerPacket);
        if (op.Source != op.Client)
            return Route.Drop(DropReason.SpoofedSource);
        var d = op.Destination;
        if (!Subnet.Contains(d))
        {
            if (config.Allow.Any(r => r.Contains(d)))
                return new Route(RouteKind.ToTun, d);
            if (config.Hosts.Contains(d))
                return Route.Drop(DropReason.BlockedHostAddress);
            if (ReachPolicy.BlockedByDefault.Concat(config.Block).Any(r => r.Contains(d)))
                return Route.Drop(DropReason.BlockedRange);
            return new Route(RouteKind.ToTun, d);
        }
        if (d == Server)
            return new Route(RouteKind.ToTun, d);
        if (d == Subnet.Network || d == Subnet.Broadcast)
            return Route.Drop(DropReason.NoSuchClient);
        return config.ClientToClient ? new Route(RouteKind.ToClient, d) : Route.Drop(DropReason.ClientIsolation);
    }

    private static Route ModelFromTun(Op op)
    {
        if (op.Shape is 2 or 3)
            return Route.Drop(DropReason.NotIPv4);
        if (op.Shape == 1)
            return Route.Drop(DropReason.MalformedInnerPacket);
        var d = op.Destination;
        return Subnet.Contains(d) && d != Server && d != Subnet.Network && d != Subnet.Broadcast
            ? new Route(RouteKind.ToClient, d)
            : Route.Drop(DropReason.NoSuchClient);
    }
}

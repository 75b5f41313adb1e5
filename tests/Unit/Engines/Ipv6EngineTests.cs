using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Server;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Engines;

/// <summary>
/// IPv6 inside the tunnel through both engines: each client gets the IPv6 host with its IPv4 host's index, and
/// IPv6 packets go to other clients, the server and the internet under the same rules as IPv4.
/// </summary>
public sealed class Ipv6EngineTests
{
    private static EngineWorld World(bool clientToClient = true) => new(new VpnServerOptions
    {
        Clients = [new ClientEntry("pc1", Handshakes.Key(1)), new ClientEntry("pc2", Handshakes.Key(2))],
        Subnet6 = IPv6Subnet.Parse("fd00:1:2:3::/64"),
        HostAddresses6 = [IPv6Address.Parse("2001:db8:ffff::1"), IPv6Address.Parse("fd00:1:2:3::1")],
        Block6 = [IPv6Range.Parse("2001:db8:bad::/48")],
        Allow6 = [IPv6Range.Parse("2001:db8:bad::9")],
        ClientToClient = clientToClient,
    });

    private static EngineWorld Connected(bool clientToClient = true)
    {
        var world = World(clientToClient);
        world.Connect("pc1");
        world.Connect("pc2");
        return world;
    }

    [Fact]
    public void Each_client_gets_the_ipv6_host_with_its_ipv4_hosts_index()
    {
        using var world = World();
        var pc1 = world.Connect("pc1");
        var pc2 = world.Connect("pc2");

        Assert.Equal(new Ipv6Grant(IPv6Address.Parse("fd00:1:2:3::2"), 64, IPv6Address.Parse("fd00:1:2:3::1")), pc1.Grant!.Ipv6);
        Assert.Equal(IPv6Address.Parse("fd00:1:2:3::3"), pc2.Grant!.Ipv6!.ClientAddress);
    }

    [Fact]
    public void Server_without_subnet6_grants_no_ipv6_and_drops_ipv6_packets_as_before()
    {
        using var world = new EngineWorld("pc1");
        var pc1 = world.Connect("pc1");
        Assert.Null(pc1.Grant!.Ipv6);

        world.SendFrom("pc1", Packets.IPv6("fd00:1:2:3::2", "fd00:1:2:3::1"));

        Assert.Empty(world.ServerTun.Written);
        Assert.Equal(1, pc1.Drops[DropReason.NotIPv4]);
    }

    [Fact]
    public void Ping6_from_pc1_reaches_pc2_byte_equal_and_never_in_clear_on_the_wire()
    {
        using var world = Connected();
        var packet = Packets.IPv6("fd00:1:2:3::2", "fd00:1:2:3::3");

        world.SendFrom("pc1", packet);

        Assert.Equal(packet, Assert.Single(world.Clients["pc2"].Tun.Written));
        Assert.Empty(world.ServerTun.Written);
        Assert.All(world.Network.Wire, d => Assert.Equal(-1, d.Bytes.AsSpan().IndexOf(Packets.Pattern)));
    }

    [Theory]
    [InlineData("fd00:1:2:3::1")] // the server's own IPv6 address
    [InlineData("2001:db8:1::8")] // the internet
    [InlineData("2001:db8:bad::9")] // blocked, but allowed by name
    public void Packets_for_the_server_or_the_internet_go_to_the_server_tun(string destination)
    {
        using var world = Connected();
        var packet = Packets.IPv6("fd00:1:2:3::2", destination);

        world.SendFrom("pc1", packet);

        Assert.Equal(packet, Assert.Single(world.ServerTun.Written));
    }

    [Fact]
    public void Reply_from_the_server_tun_reaches_the_client_it_is_addressed_to()
    {
        using var world = Connected();
        var reply = Packets.IPv6("2001:db8:1::8", "fd00:1:2:3::3");

        world.ServerTun.Inject(reply);
        world.Server.OnTunReadable();
        world.Network.Pump();

        Assert.Equal(reply, Assert.Single(world.Clients["pc2"].Tun.Written));
        Assert.Empty(world.Clients["pc1"].Tun.Written);
    }

    [Theory]
    [InlineData("fd00:1:2:3::77")] // no client holds host 0x77
    [InlineData("fd00:1:2:3::")] // the subnet-router anycast address
    [InlineData("fd00:1:2:3:1::2")] // host bits above the lowest 32
    public void Packets_from_tun_for_no_client_are_dropped(string destination)
    {
        using var world = Connected();
        world.ServerTun.Inject(Packets.IPv6("2001:db8:1::8", destination));
        world.Server.OnTunReadable();
        world.Network.Pump();

        Assert.Equal(1, world.Server.Drops[DropReason.NoSuchClient]);
        Assert.All(world.Clients.Values, c => Assert.Empty(c.Tun.Written));
    }

    [Theory]
    [InlineData("fd00:1:2:3::3")]
    [InlineData("fe80::1")] // what a kernel sends on tun from its link-local address
    public void Client_drops_tun_packets_from_any_ipv6_source_but_its_own(string source)
    {
        using var world = Connected();

        world.SendFrom("pc1", Packets.IPv6(source, "2001:db8:1::8"));

        Assert.Empty(world.ServerTun.Written);
        Assert.Equal(1, world.Clients["pc1"].Engine.Drops[DropReason.SpoofedSource]);
    }

    [Theory]
    [InlineData("2001:db8:ffff::1", DropReason.BlockedHostAddress)] // one of the server host's own addresses
    [InlineData("2001:db8:bad::1", DropReason.BlockedRange)] // block
    [InlineData("fe80::1", DropReason.BlockedRange)] // link-local, blocked by default
    [InlineData("ff02::1", DropReason.BlockedRange)] // multicast
    [InlineData("::1", DropReason.BlockedRange)] // loopback
    [InlineData("::ffff:10.0.0.1", DropReason.BlockedRange)] // IPv4-mapped: no way around the IPv4 policy
    public void Policy_denies_ipv6_destinations_and_counts_them_by_reason(string destination, DropReason reason)
    {
        using var world = Connected();

        world.SendFrom("pc1", Packets.IPv6("fd00:1:2:3::2", destination));

        Assert.Empty(world.ServerTun.Written);
        Assert.Equal(1, world.Server.Drops[reason]);
    }

    [Fact]
    public void Client_isolation_applies_to_ipv6_too()
    {
        using var world = Connected(clientToClient: false);

        world.SendFrom("pc1", Packets.IPv6("fd00:1:2:3::2", "fd00:1:2:3::3"));
        var toServer = Packets.IPv6("fd00:1:2:3::2", "fd00:1:2:3::1");
        world.SendFrom("pc1", toServer);

        Assert.Empty(world.Clients["pc2"].Tun.Written);
        Assert.Equal(toServer, Assert.Single(world.ServerTun.Written));
        Assert.Equal(1, world.Server.Drops[DropReason.ClientIsolation]);
    }

    [Fact]
    public void Truncated_ipv6_packet_is_dropped_as_malformed()
    {
        using var world = Connected();
        var packet = Packets.IPv6("fd00:1:2:3::2", "fd00:1:2:3::1");

        world.SendFrom("pc1", packet[..^1]);

        Assert.Empty(world.ServerTun.Written);
        Assert.Equal(1, world.Clients["pc1"].Engine.Drops[DropReason.MalformedInnerPacket]);
    }

    [Fact]
    public void Client_with_ipv6_off_in_its_entry_gets_an_ipv4_only_grant_and_no_ipv6_packets()
    {
        using var world = new EngineWorld(new VpnServerOptions
        {
            Clients = [new ClientEntry("pc1", Handshakes.Key(1)), new ClientEntry("pc2", Handshakes.Key(2)) { Ipv6 = false }],
            Subnet6 = IPv6Subnet.Parse("fd00:1:2:3::/64"),
        });
        world.Connect("pc1");
        var pc2 = world.Connect("pc2");
        Assert.True(pc2.IsConnected);
        Assert.Null(pc2.Grant!.Ipv6);

        world.SendFrom("pc1", Packets.IPv6("fd00:1:2:3::2", "fd00:1:2:3::3"));
        world.ServerTun.Inject(Packets.IPv6("2001:db8:1::8", "fd00:1:2:3::3"));
        world.Server.OnTunReadable();
        world.Network.Pump();
        var ipv4 = Packets.IPv4("10.0.0.2", "10.0.0.3");
        world.SendFrom("pc1", ipv4);

        Assert.Equal(ipv4, Assert.Single(world.Clients["pc2"].Tun.Written));
        Assert.Equal(2, world.Server.Drops[DropReason.NoSuchClient]);
    }

    [Fact]
    public void Server_refuses_a_subnet6_too_small_to_number_every_ipv4_host()
    {
        var options = new VpnServerOptions
        {
            Subnet = IPv4Subnet.Parse("10.0.0.0/16"),
            Subnet6 = IPv6Subnet.Parse("fd00::/120"),
        };
        Assert.Throws<ArgumentException>(() => new EngineWorld(options));
    }
}

using MyVpn.Net;
using MyVpn.Protocol;
using MyVpn.Sim;
using MyVpn.Sim.Scenarios;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>IPv6 inside the tunnel on the simulator: the seed network with a subnet6, pinged over ICMPv6 by the real engines.</summary>
public sealed class Ipv6SimulationTests
{
    private static readonly IPv6Address Pc1Address = IPv6Address.Parse("fd00:5eed::2");
    private static readonly IPv6Address Pc2Address = IPv6Address.Parse("fd00:5eed::3");
    private static readonly IPv6Address ServerAddress = IPv6Address.Parse("fd00:5eed::1");

    private static SeedNetwork Connected(ulong seed) =>
        SeedNetwork.Connected(seed, new SeedNetworkOptions { Subnet6 = SeedNetworkOptions.DefaultSubnet6 });

    private static void AssertAnswered(SeedNetwork net, Ping6Record? ping)
    {
        Assert.NotNull(ping);
        Assert.True(ping.Replied, $"ping #{ping.Serial} {ping.Request.Source} -> {ping.Target} was not answered");
        Assert.Equal(1, ping.RequestDeliveries);
        Assert.Equal(1, ping.ReplyDeliveries);
        Assert.False(net.Network.Violations.Any, net.Network.Violations.First);
    }

    [Fact]
    public void Clients_get_the_ipv6_host_of_their_ipv4_hosts_index()
    {
        var net = Connected(seed: 1);

        Assert.Equal(Pc1Address, net.Pc1.VpnAddress6);
        Assert.Equal(Pc2Address, net.Pc2.VpnAddress6);
        Assert.Equal(ServerAddress, net.Pc1.Grant!.Ipv6!.ServerAddress);
    }

    [Fact]
    public void Pc1_pings_pc2_over_ipv6_and_no_plaintext_crosses_the_wire()
    {
        var net = Connected(seed: 2);

        AssertAnswered(net, net.Ping6(net.Pc1.Host, Pc2Address));
        Assert.Equal([Pc1Address], net.Pc2.Host.Stack.Responder.SeenSources6);
        Assert.True(net.Network.Plaintext.Inspected > 0);
    }

    [Fact]
    public void Pc1_pings_the_server_over_ipv6()
    {
        var net = Connected(seed: 3);

        AssertAnswered(net, net.Ping6(net.Pc1.Host, ServerAddress));
        Assert.Equal([Pc1Address], net.Server.Stack.Responder.SeenSources6);
    }

    [Fact]
    public void Pc2_reaches_the_ipv6_internet_host_routed_with_its_own_address()
    {
        var net = Connected(seed: 4);

        AssertAnswered(net, net.Ping6(net.Pc2.Host, SeedNetwork.InternetAddress6));
        Assert.Equal([Pc2Address], net.Internet.Stack.Responder.SeenSources6);
    }

    [Fact]
    public void Ipv6_and_ipv4_pings_share_the_tunnel()
    {
        var net = Connected(seed: 5);

        AssertAnswered(net, net.Ping6(net.Pc1.Host, Pc2Address));
        var ping4 = net.Ping(net.Pc1.Host, IPv4Address.Parse("10.0.0.3"));
        Assert.True(ping4!.Replied);
        AssertAnswered(net, net.Ping6(net.Pc2.Host, ServerAddress));
    }

    [Fact]
    public void Packet_from_a_source_other_than_the_clients_own_never_leaves_the_client()
    {
        var net = Connected(seed: 6);
        var forged = new Icmp6Echo(Pc2Address, ServerAddress, IsReply: false, 1, 1, PingPayload.Create(7)).ToPacket();

        net.Pc1.Host.Tun.Inject(forged);
        net.Clock.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal(1, net.Pc1.Engine!.Drops[DropReason.SpoofedSource]);
        Assert.Empty(net.Server.Stack.Responder.SeenSources6);
    }

    [Theory]
    [InlineData("ff02::1")] // multicast
    [InlineData("fe80::1")] // link-local
    public void Policy_denies_what_is_blocked_by_default(string target)
    {
        var net = Connected(seed: 7);

        var ping = net.Ping6(net.Pc1.Host, IPv6Address.Parse(target), TimeSpan.FromSeconds(2));

        Assert.False(ping!.Replied);
        Assert.Equal(1, net.ServerEngine!.Drops[DropReason.BlockedRange]);
    }

    [Fact]
    public void Without_subnet6_clients_have_no_ipv6_route()
    {
        var net = SeedNetwork.Connected(seed: 8);

        Assert.Null(net.Pc1.VpnAddress6);
        Assert.Null(net.Network.StartPing6(net.Pc1.Host, Pc2Address));
    }
}

using MyVpn.Tests.Netns.Infrastructure;
using PacketDotNet;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>
/// pc1 with --default-route in the single-key form, the server masquerading out of eth1, and pc1 reaching
/// the server through the WAN gateway (<see cref="FullTunnelFixture"/>): everything but the client's own
/// marked packets goes through tun0, the server's WAN address included, and IPv6 leaves nowhere.
/// </summary>
public sealed class FullTunnelTests(FullTunnelFixture fixture) : IClassFixture<FullTunnelFixture>
{
    private readonly VpnWorld _world = fixture.World;

    [Fact]
    public void Internet_traffic_goes_through_tun0_and_only_the_clients_marked_packets_reach_the_server_on_the_wan()
    {
        Assert.Contains("dev tun0", Topology.RouteTo(_world.Net.Pc1, Topology.InternetHost));
        Assert.Contains("dev tun0", Topology.RouteTo(_world.Net.Pc1, Topology.ServerWan));
        Assert.Contains($"via {Topology.WanGateway} dev eth0", RouteTo(_world.Net.Pc1, "-4", Topology.ServerWan, "mark", FullTunnelFixture.Mark));
        Assert.True(Topology.Ping(_world.Net.Pc1, Topology.InternetHost, count: 3), _world.Logs());
    }

    [Fact]
    public async Task Internet_host_sees_the_servers_address_as_the_source()
    {
        var path = Path.Combine(_world.Directory, "internet.pcap");
        bool pinged;
        using (var capture = await PacketCapture.Start(_world.Net.Internet, "eth0", path, "icmp"))
        {
            pinged = Topology.Ping(_world.Net.Pc1, Topology.InternetHost, count: 3);
            await capture.Stop();
        }
        Assert.True(pinged, _world.Logs());

        var requests = PcapFile.ReadIPv4(path).Where(p => p.DestinationAddress.ToString() == Topology.InternetHost).ToList();

        Assert.Equal(3, requests.Count);
        Assert.All(requests, p => Assert.Equal(Topology.ServerInternet, p.SourceAddress.ToString()));
    }

    [Fact]
    public async Task Another_programs_packets_to_the_servers_wan_address_go_inside_the_tunnel_not_around_it()
    {
        var onTun = Path.Combine(_world.Directory, "server-probe-tun0.pcap");
        var onWan = Path.Combine(_world.Directory, "server-probe-eth0.pcap");
        using (var tun = await PacketCapture.Start(_world.Net.Pc1, "tun0", onTun, "icmp"))
        using (var wan = await PacketCapture.Start(_world.Net.Pc1, "eth0", onWan, "icmp"))
        {
            Topology.Ping(_world.Net.Pc1, Topology.ServerWan, count: 2); // answered or not: where it goes counts
            await tun.Stop();
            await wan.Stop();
        }

        bool IsProbe(IPv4Packet p) => p.DestinationAddress.ToString() == Topology.ServerWan && p.Protocol == ProtocolType.Icmp;
        Assert.Equal(2, PcapFile.ReadIPv4(onTun).Count(IsProbe));
        Assert.DoesNotContain(PcapFile.ReadIPv4(onWan), IsProbe);
    }

    [Fact]
    public async Task IPv6_does_not_leave_on_the_wan_while_the_session_has_no_IPv6_address()
    {
        var onWan = Path.Combine(_world.Directory, "ipv6-eth0.pcap");
        bool unmarked;
        using (var wan = await PacketCapture.Start(_world.Net.Pc1, "eth0", onWan, "icmp6"))
        {
            unmarked = Namespaces.Exec(_world.Net.Pc1, "ping", "-6", "-n", "-c", "2", "-i", "0.2", "-W", "1", FullTunnelFixture.InternetHost6).Succeeded;
            // the client's own mark bypasses the tunnel: this one leaves, showing the capture would see a leak
            Namespaces.Exec(_world.Net.Pc1, "ping", "-6", "-n", "-c", "1", "-W", "1", "-m", FullTunnelFixture.Mark, FullTunnelFixture.InternetHost6);
            await wan.Stop();
        }

        Assert.False(unmarked);
        Assert.Contains("No route to host", RouteTo(_world.Net.Pc1, "-6", FullTunnelFixture.InternetHost6));
        var echoes = PcapFile.ReadIPv6(onWan)
            .Where(p => p.DestinationAddress.ToString() == FullTunnelFixture.InternetHost6 && p.PayloadPacket is IcmpV6Packet { Type: IcmpV6Type.EchoRequest })
            .ToList();
        Assert.Single(echoes); // only the marked one
    }

    /// <summary><c>ip route get</c> in a namespace, its first line or the error ("RTNETLINK answers: No route to host").</summary>
    private static string RouteTo(string ns, string family, string destination, params string[] selectors)
    {
        var result = Shell.Run("ip", ["-n", ns, family, "route", "get", destination, .. selectors]);
        return result.Succeeded ? result.Output.Split('\n')[0].Trim() : result.Error.Trim();
    }
}

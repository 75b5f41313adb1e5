using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>pc1 with --default-route in the single-key form, and the server masquerading out of eth1.</summary>
public sealed class FullTunnelTests(FullTunnelFixture fixture) : IClassFixture<FullTunnelFixture>
{
    private readonly VpnWorld _world = fixture.World;

    [Fact]
    public void Internet_traffic_goes_through_tun0_while_the_server_stays_on_the_wan()
    {
        Assert.Contains("dev tun0", Topology.RouteTo(_world.Net.Pc1, Topology.InternetHost));
        Assert.Contains("dev eth0", Topology.RouteTo(_world.Net.Pc1, Topology.ServerWan));
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
}

using MyVpn.Tests.Netns.Infrastructure;
using Xunit;

namespace MyVpn.Tests.Netns;

/// <summary>The test network itself, before any VPN: what the other tests build on.</summary>
public sealed class TopologyTests
{
    [Fact]
    public void Wan_hosts_reach_each_other_but_not_the_internet_host_behind_the_server()
    {
        using var net = Topology.Create();

        Assert.True(Topology.Ping(net.Pc1, Topology.ServerWan));
        Assert.True(Topology.Ping(net.Pc2, Topology.Pc1Wan));
        Assert.True(Topology.Ping(net.Server, Topology.InternetHost));
        Assert.False(Topology.Ping(net.Pc1, Topology.InternetHost));
    }

    [Fact]
    public void Disposing_the_topology_deletes_its_namespaces()
    {
        var net = Topology.Create();
        var names = new[] { net.Wan, net.Server, net.Pc1, net.Pc2, net.Internet };

        net.Dispose();

        Assert.Empty(Namespaces.List().Intersect(names));
    }
}

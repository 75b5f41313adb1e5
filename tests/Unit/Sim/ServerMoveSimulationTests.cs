using MyVpn.Net;
using MyVpn.Sim.Scenarios;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>
/// A server on dynamic DNS moves: it comes back at another address and its name is pointed there. Clients
/// that know it by name look it up again and come back; clients that know only its old address cannot.
/// </summary>
public sealed class ServerMoveSimulationTests
{
    private const string Name = "vpn.example.org";
    private static readonly IPv4Address Moved = IPv4Address.Parse("198.51.100.77");

    [Theory]
    [InlineData(1UL)]
    [InlineData(7UL)]
    [InlineData(42UL)]
    public void Clients_that_know_the_server_by_name_find_it_at_its_new_address(ulong seed)
    {
        var net = SeedNetwork.Connected(seed, new SeedNetworkOptions { ServerName = Name });
        var before = net.Clients.Select(c => c.Connections).ToArray();

        net.MoveServer(Moved);

        var back = net.Clock.RunUntil(() => net.Clients.Select((c, i) => c.Connections > before[i]).All(b => b), TimeSpan.FromMinutes(2));
        Assert.True(back, $"seed {seed}: not every client came back within 2 min");
        foreach (var client in net.Clients)
            Assert.Equal(new NetEndpoint(Moved, SeedNetwork.HandshakePort), client.Engine!.Server);
        var ping = net.Ping(net.Pc1.Host, IPv4Address.Parse("10.0.0.3"));
        Assert.True(ping?.Replied, $"seed {seed}: pc1 cannot reach pc2 through the moved server");
        Assert.Empty(net.Network.Violations.All);
    }

    [Fact]
    public void Clients_that_know_only_the_old_address_do_not_come_back()
    {
        var net = SeedNetwork.Connected(1, new SeedNetworkOptions());
        var before = net.Pc1.Connections;

        net.MoveServer(Moved);

        Assert.False(net.Clock.RunUntil(() => net.Pc1.Connections > before, TimeSpan.FromMinutes(2)));
        Assert.Equal(new NetEndpoint(SeedNetwork.ServerPublicAddress, SeedNetwork.HandshakePort), net.Pc1.Engine!.Server);
    }

    [Fact]
    public void A_name_taken_out_of_the_table_is_retried_until_it_is_back()
    {
        var net = SeedNetwork.Connected(3, new SeedNetworkOptions { ServerName = Name });
        var before = net.Pc1.Connections;
        net.Network.SetName(Name, null);
        net.MoveServer(Moved);
        net.Network.SetName(Name, null); // the DNS update is late

        Assert.False(net.Clock.RunUntil(() => net.Pc1.Connections > before, TimeSpan.FromMinutes(1)));
        Assert.Null(net.Pc1.AuthenticationFailure);

        net.Network.SetName(Name, Moved);
        Assert.True(net.Clock.RunUntil(() => net.Pc1.Connections > before, TimeSpan.FromSeconds(40)));
    }
}

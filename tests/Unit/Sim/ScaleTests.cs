using MyVpn.Sim.Scenarios;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

public sealed class ScaleTests
{
    [Fact]
    public void A_thousand_clients_handshake_and_each_pings_the_server()
    {
        var net = SeedNetwork.Connected(seed: 1000, SeedNetworkOptions.Scale(1000));

        var pings = net.Clients.Select(c => net.Network.StartPing(c.Host, net.ServerVpnAddress)!).ToList();
        net.Clock.RunFor(TimeSpan.FromSeconds(5));

        Assert.All(pings, p => Assert.True(p.Replied, $"{p.From.Name} got no reply"));
        Assert.Equal(1000, net.Clients.Select(c => c.Grant!.ClientAddress).Distinct().Count());
        Assert.Equal(1000, net.Clients.Select(c => c.Grant!.Port).Distinct().Count());
        Assert.Equal(1000, net.Server.Stack.Responder.Answered.Count);
        Assert.False(net.Network.Violations.Any, net.Network.Violations.First);
    }
}

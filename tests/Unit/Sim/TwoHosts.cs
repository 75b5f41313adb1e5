using MyVpn.Net;
using MyVpn.Sim;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>Two plain hosts, a (192.0.2.1) and b (192.0.2.2), on one simulated network.</summary>
internal sealed class TwoHosts
{
    public static readonly IPv4Address AddressA = IPv4Address.Parse("192.0.2.1");
    public static readonly IPv4Address AddressB = IPv4Address.Parse("192.0.2.2");

    public TwoHosts(ulong seed = 1, LinkFaults? faults = null)
    {
        Network = new SimNetwork(seed) { DefaultFaults = faults ?? LinkFaults.None };
        A = Network.AddHost("a", AddressA);
        B = Network.AddHost("b", AddressB);
    }

    public SimNetwork Network { get; }
    public SimHost A { get; }
    public SimHost B { get; }
    public SimClock Clock => Network.Clock;
}

using MyVpn.Net;

namespace MyVpn.Sim;

/// <summary>One IPv6 ping sent in the run and what became of it: the IPv6 counterpart of <see cref="PingRecord"/>.</summary>
internal sealed class Ping6Record(uint serial, SimHost from, Icmp6Echo request, long sentAt) : PingOutcome(serial, from, sentAt)
{
    public Icmp6Echo Request { get; } = request;
    public IPv6Address Target => Request.Target;
}

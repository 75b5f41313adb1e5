using MyVpn.Net;

namespace MyVpn.Sim;

/// <summary>One ping sent in the run and what became of it.</summary>
internal sealed class PingRecord(uint serial, SimHost from, IcmpEcho request, long sentAt) : PingOutcome(serial, from, sentAt)
{
    public IcmpEcho Request { get; } = request;
    public IPv4Address Target => Request.Target;
}

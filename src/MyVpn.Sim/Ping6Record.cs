using MyVpn.Net;

namespace MyVpn.Sim;

/// <summary>One IPv6 ping sent in the run and what became of it: the IPv6 counterpart of <see cref="PingRecord"/>.</summary>
internal sealed class Ping6Record(uint serial, SimHost from, Icmp6Echo request, long sentAt)
{
    public uint Serial { get; } = serial;
    public SimHost From { get; } = from;
    public Icmp6Echo Request { get; } = request;
    public IPv6Address Target => Request.Target;
    public long SentAt { get; } = sentAt;

    /// <summary>How often the request reached its target (more than once is a violation).</summary>
    public int RequestDeliveries { get; internal set; }

    /// <summary>How often a reply reached the sender (more than once is a violation).</summary>
    public int ReplyDeliveries { get; internal set; }

    public long? RepliedAt { get; internal set; }
    public bool Replied => RepliedAt is not null;
}

using MyVpn.Net;

namespace MyVpn.Sim;

/// <summary>One ping sent in the run and what became of it.</summary>
internal sealed class PingRecord(uint serial, SimHost from, IcmpEcho request, long sentAt)
{
    public uint Serial { get; } = serial;
    public SimHost From { get; } = from;
    public IcmpEcho Request { get; } = request;
    public IPv4Address Target => Request.Target;
    public long SentAt { get; } = sentAt;

    /// <summary>How often the request reached its target (more than once is a violation).</summary>
    public int RequestDeliveries { get; internal set; }

    /// <summary>How often a reply reached the sender (more than once is a violation).</summary>
    public int ReplyDeliveries { get; internal set; }

    public long? RepliedAt { get; internal set; }
    public bool Replied => RepliedAt is not null;

    /// <summary>Virtual round-trip time, once replied.</summary>
    public TimeSpan? RoundTrip => RepliedAt is { } at ? TimeSpan.FromTicks(at - SentAt) : null;
}

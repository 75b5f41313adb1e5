namespace MyVpn.Sim;

/// <summary>
/// What became of one ping, of either family: how often its request and its reply were delivered and
/// when it was answered. <see cref="PingRecord"/> and <see cref="Ping6Record"/> add the echo itself.
/// </summary>
internal abstract class PingOutcome(uint serial, SimHost from, long sentAt)
{
    public uint Serial { get; } = serial;
    public SimHost From { get; } = from;
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

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

/// <summary>Every ping of a run, by serial number (serials count up from 1).</summary>
internal sealed class PingLedger
{
    private readonly List<PingRecord> _records = [];

    public IReadOnlyList<PingRecord> All => _records;

    public PingRecord Add(SimHost from, IPv4Address source, IPv4Address target, ushort id, ushort sequence, long now)
    {
        var serial = (uint)_records.Count + 1;
        var request = new IcmpEcho(source, target, IsReply: false, id, sequence, PingPayload.Create(serial));
        var record = new PingRecord(serial, from, request, now);
        _records.Add(record);
        return record;
    }

    public PingRecord? Find(uint serial) => serial >= 1 && serial <= _records.Count ? _records[(int)serial - 1] : null;
}

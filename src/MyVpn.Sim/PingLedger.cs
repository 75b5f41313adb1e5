using MyVpn.Net;

namespace MyVpn.Sim;

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

    /// <summary>Serials of IPv6 pings count up from here, so a payload's serial says which family's record it is.</summary>
    public const uint FirstSerial6 = 2_000_000_001;

    private readonly List<Ping6Record> _records6 = [];

    /// <summary>Every IPv6 ping of the run, in the order sent.</summary>
    public IReadOnlyList<Ping6Record> All6 => _records6;

    public Ping6Record Add6(SimHost from, IPv6Address source, IPv6Address target, ushort id, ushort sequence, long now)
    {
        var serial = FirstSerial6 + (uint)_records6.Count;
        var request = new Icmp6Echo(source, target, IsReply: false, id, sequence, PingPayload.Create(serial));
        var record = new Ping6Record(serial, from, request, now);
        _records6.Add(record);
        return record;
    }

    public Ping6Record? Find6(uint serial) =>
        serial >= FirstSerial6 && serial - FirstSerial6 < (uint)_records6.Count ? _records6[(int)(serial - FirstSerial6)] : null;
}

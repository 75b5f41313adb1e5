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
}

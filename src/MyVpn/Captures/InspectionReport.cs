using System.Text;

namespace MyVpn.Captures;

/// <summary>What <see cref="CaptureInspector"/> found in a capture.</summary>
public sealed class InspectionReport
{
    public List<SessionSummary> Sessions { get; } = [];
    public List<HandshakeSummary> Handshakes { get; } = [];
    public List<ForeignFlow> ForeignFlows { get; } = [];

    /// <summary>Captured UDP packets that held a run of datagrams (UDP GSO/GRO), and how many datagrams they held.</summary>
    public int CoalescedRuns { get; set; }
    public int CoalescedDatagrams { get; set; }

    public bool IsClean => Sessions.TrueForAll(s => s.RepeatedIvs == 0) && ForeignFlows.Count == 0 && Handshakes.TrueForAll(h => h.Error is null);

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var h in Handshakes)
            text.AppendLine($"handshake {h.Client} -> {h.Server}: {string.Join(" ", h.Messages)}{(h.Error is null ? "" : $"  MALFORMED: {h.Error}")}");
        foreach (var s in Sessions)
        {
            text.AppendLine($"session {s.SessionId:x8}: client {string.Join(", ", s.ClientEndpoints)} <-> server {s.Server} (port {s.Server.Port})");
            text.AppendLine($"  client->server: {s.ToServer.Packets} packets, {s.ToServer.Bytes} bytes ({s.ToServer.Keepalives} keepalives)");
            text.AppendLine($"  server->client: {s.ToClient.Packets} packets, {s.ToClient.Bytes} bytes ({s.ToClient.Keepalives} keepalives)");
            text.AppendLine(s.RepeatedIvs == 0 ? "  IVs: all unique" : $"  IVs: {s.RepeatedIvs} REPEATED");
        }
        if (CoalescedRuns > 0)
            text.AppendLine($"{CoalescedRuns} captured packets held runs of {CoalescedDatagrams} datagrams in all (UDP GSO/GRO), counted one by one above");
        foreach (var f in ForeignFlows)
            text.AppendLine($"not MyVpn: {f.Source} -> {f.Destination}: {f.Datagrams} datagrams ({f.Reason})");
        if (Sessions.Count == 0 && Handshakes.Count == 0 && ForeignFlows.Count == 0)
            text.AppendLine("no MyVpn traffic found");
        return text.ToString();
    }
}

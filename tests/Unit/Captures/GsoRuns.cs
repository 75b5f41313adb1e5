using MyVpn.Protocol;
using MyVpn.Tests.Unit.Support;

namespace MyVpn.Tests.Unit.Captures;

/// <summary>Rewrites a capture the way a host with UDP GSO/GRO shows it.</summary>
internal static class GsoRuns
{
    /// <summary>
    /// All data datagrams of one direction with one size in a single UDP payload, in the place of the
    /// first of them; keepalives, handshakes and lone datagrams stay as they are.
    /// </summary>
    public static List<WireDatagram> Coalesced(List<WireDatagram> wire)
    {
        var runs = wire.Where(d => !d.Tcp && d.Bytes.Length > WireFormat.Overhead)
            .GroupBy(d => (d.From, d.To, d.Bytes.Length)).Where(g => g.Count() > 1).ToDictionary(g => g.First(), g => g.ToList());
        var inRuns = runs.Values.SelectMany(r => r).ToHashSet();
        var result = new List<WireDatagram>();
        foreach (var datagram in wire)
        {
            if (runs.TryGetValue(datagram, out var run))
                result.Add(datagram with { Bytes = [.. run.SelectMany(d => d.Bytes)] });
            else if (!inRuns.Contains(datagram))
                result.Add(datagram);
        }
        return result;
    }
}

using System.Security.Cryptography;
using PacketDotNet;

namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>Reads what `myvpn pcap decrypt` wrote: the tunnel's inner IPv4 packets.</summary>
internal static class InnerPackets
{
    public static List<Echo> Echoes(IEnumerable<IPv4Packet> packets) =>
        packets.Where(p => p.Protocol == PacketDotNet.ProtocolType.Icmp)
            .Select(p => p.Extract<IcmpV4Packet>() is { } icmp
                ? new Echo(icmp.TypeCode, icmp.Id, icmp.Sequence, p.SourceAddress.ToString(), p.DestinationAddress.ToString(),
                    System.Text.Encoding.ASCII.GetString(icmp.PayloadData ?? []))
                : new Echo(default, 0, 0, p.SourceAddress.ToString(), p.DestinationAddress.ToString(), "(not ICMPv4)"))
            .ToList();

    /// <summary>Sorted textual form of a multiset of echoes, for an exact comparison with a readable diff.</summary>
    public static List<string> Multiset(IEnumerable<Echo> echoes) => echoes.Select(e => e.ToString()).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// The payload bytes of the TCP connection from <paramref name="source"/> to <paramref name="destination"/>:<paramref name="port"/>,
    /// rebuilt from its segments by sequence number (relative to the SYN): a segment seen twice (both tunnel
    /// legs, or a retransmission) lands on the same bytes, and must agree with them. Fails when a byte of
    /// the <paramref name="length"/> expected is missing, contradicted, or anything lies beyond them.
    /// </summary>
    public static byte[] TcpStream(IEnumerable<IPv4Packet> packets, string source, string destination, ushort port, int length)
    {
        var segments = packets
            .Where(p => p.SourceAddress.ToString() == source && p.DestinationAddress.ToString() == destination)
            .Select(p => p.Extract<TcpPacket>())
            .Where(t => t is not null && t.DestinationPort == port)
            .ToList();
        var syn = segments.FirstOrDefault(t => t.Synchronize)
            ?? throw new InvalidOperationException($"no SYN from {source} to {destination}:{port} in the inner packets");
        var first = unchecked(syn.SequenceNumber + 1);
        var stream = new byte[length];
        var seen = new bool[length];
        foreach (var segment in segments.Where(t => t.PayloadData is { Length: > 0 }))
        {
            var offset = unchecked((long)(uint)(segment.SequenceNumber - first));
            var data = segment.PayloadData;
            if (offset + data.Length > length)
                throw new InvalidOperationException($"a segment at stream offset {offset} ({data.Length} bytes) lies beyond the {length} bytes sent");
            for (var i = 0; i < data.Length; i++)
            {
                var at = offset + i;
                if (seen[at] && stream[at] != data[i])
                    throw new InvalidOperationException($"two segments disagree on stream byte {at}");
                stream[at] = data[i];
                seen[at] = true;
            }
        }
        var missing = Array.IndexOf(seen, false);
        if (missing >= 0)
            throw new InvalidOperationException($"stream byte {missing} of {length} is in no decrypted segment");
        return stream;
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}

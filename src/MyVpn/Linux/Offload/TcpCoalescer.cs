using System.Buffers.Binary;
using MyVpn.Io;

namespace MyVpn.Linux.Offload;

/// <summary>
/// Decides which consecutive packets of a batch bound for a tun device can go as one TCP/IPv4 GSO
/// packet (the receive-side coalescing GRO does in the kernel, and wireguard-go does before its tun
/// write), and writes the merged header. A run is segments of one flow in sequence: same addresses,
/// ports, ACK number, IP TOS/TTL/DF, TCP header length and options; flags ACK or ACK|PSH only (no
/// SYN/FIN/RST/URG/ECE/CWR), PSH only on the last; IPv4 without options, not fragmented; IDs
/// consecutive; every payload the size of the first except a shorter last one; each packet's IP and
/// TCP checksums valid (the kernel trusts the partial checksum of a GSO packet, so a corrupt segment
/// must not hide inside one). Everything else is written alone.
/// </summary>
internal static class TcpCoalescer
{
    /// <summary>Most segments in one GSO packet written to tun.</summary>
    public const int MaxSegments = 64;

    /// <summary>Bytes <see cref="WriteHeader"/> writes at most: the virtio header, 20 bytes of IP, 60 of TCP.</summary>
    public const int MaxHeaderBytes = VirtioNetHeader.Size + 20 + 60;

    private const int IPv4HeaderLength = 20;
    private const byte FlagPsh = 0x08;
    private const byte FlagAck = 0x10;

    /// <summary>
    /// How many packets from <paramref name="start"/> on form one run (at least 1: a packet that merges
    /// with nothing is a run of its own).
    /// </summary>
    public static int RunLength(ReadOnlySpan<PacketBuffer> packets, int start)
    {
        var first = packets[start].Span;
        if (!IsCandidate(first, out var headerLength) || (first[IPv4HeaderLength + 13] & FlagPsh) != 0)
            return 1;
        var segmentSize = first.Length - headerLength;
        var firstSeq = BinaryPrimitives.ReadUInt32BigEndian(first[(IPv4HeaderLength + 4)..]);
        var firstId = BinaryPrimitives.ReadUInt16BigEndian(first[4..]);
        var payload = segmentSize;
        var count = 1;
        var verifiedFirst = false;
        for (var i = start + 1; i < packets.Length && count < MaxSegments; i++)
        {
            var candidate = packets[i].Span;
            if (!IsCandidate(candidate, out var candidateHeaderLength) || candidateHeaderLength != headerLength)
                break;
            var candidatePayload = candidate.Length - headerLength;
            if (candidatePayload > segmentSize
                || headerLength + payload + candidatePayload > ushort.MaxValue
                || BinaryPrimitives.ReadUInt32BigEndian(candidate[(IPv4HeaderLength + 4)..]) != firstSeq + (uint)payload
                || BinaryPrimitives.ReadUInt16BigEndian(candidate[4..]) != (ushort)(firstId + count)
                || !SameFlowAndHeaders(first, candidate, headerLength))
                break;
            if (!verifiedFirst)
            {
                if (!ChecksumsValid(first, headerLength))
                    return 1;
                verifiedFirst = true;
            }
            if (!ChecksumsValid(candidate, headerLength))
                break;
            payload += candidatePayload;
            count++;
            // a shorter segment or a PSH ends the run: nothing may follow them inside one GSO packet
            if (candidatePayload < segmentSize || (candidate[IPv4HeaderLength + 13] & FlagPsh) != 0)
                break;
        }
        return count;
    }

    /// <summary>
    /// Writes the virtio header (TCPV4, gso_size = the first payload, NEEDS_CSUM at the TCP checksum)
    /// and the run's IP and TCP headers (the first packet's, with the total length, the IP checksum,
    /// PSH from the last packet and the pseudo-header sum as the partial TCP checksum) into
    /// <paramref name="destination"/>; returns how many bytes. The packets' payloads follow it unchanged.
    /// </summary>
    public static int WriteHeader(ReadOnlySpan<PacketBuffer> run, Span<byte> destination)
    {
        var first = run[0].Span;
        var headerLength = HeaderLengthOf(first);
        var payload = 0;
        foreach (var packet in run)
            payload += packet.Length - headerLength;
        var header = destination.Slice(VirtioNetHeader.Size, headerLength);
        first[..headerLength].CopyTo(header);
        var ip = header[..IPv4HeaderLength];
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(headerLength + payload));
        InternetChecksum.UpdateIPv4Header(ip);
        var tcp = header[IPv4HeaderLength..];
        tcp[13] |= (byte)(run[^1].Span[IPv4HeaderLength + 13] & FlagPsh);
        var tcpLength = headerLength - IPv4HeaderLength + payload;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], InternetChecksum.Fold(InternetChecksum.PseudoHeaderSum(ip[12..], ip[16..], 6, tcpLength)));
        new VirtioNetHeader
        {
            Flags = VirtioNetHeader.FlagNeedsChecksum,
            GsoType = VirtioNetHeader.GsoTcpV4,
            HeaderLength = (ushort)headerLength,
            GsoSize = (ushort)(first.Length - headerLength),
            CsumStart = IPv4HeaderLength,
            CsumOffset = 16,
        }.Write(destination);
        return VirtioNetHeader.Size + headerLength;
    }

    /// <summary>IP + TCP header length of a packet <see cref="RunLength"/> accepted.</summary>
    public static int HeaderLengthOf(ReadOnlySpan<byte> packet) => IPv4HeaderLength + (packet[IPv4HeaderLength + 12] >> 4) * 4;

    /// <summary>IPv4 without options, whole (not a fragment), TCP with payload, flags ACK or ACK|PSH.</summary>
    private static bool IsCandidate(ReadOnlySpan<byte> packet, out int headerLength)
    {
        headerLength = 0;
        if (packet.Length < IPv4HeaderLength + 20 || packet[0] != 0x45 || packet[9] != 6
            || BinaryPrimitives.ReadUInt16BigEndian(packet[2..]) != packet.Length
            || (BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & 0x3FFF) != 0)
            return false;
        var flags = packet[IPv4HeaderLength + 13];
        if (flags != FlagAck && flags != (FlagAck | FlagPsh))
            return false;
        var tcpHeaderLength = (packet[IPv4HeaderLength + 12] >> 4) * 4;
        headerLength = IPv4HeaderLength + tcpHeaderLength;
        return tcpHeaderLength >= 20 && headerLength < packet.Length;
    }

    /// <summary>
    /// Same TOS, DF/flags, TTL, addresses; same ports, ACK number, data offset byte, options. (The window
    /// and urgent pointer are not compared, as in the kernel's GRO: the merged packet carries the first's.)
    /// </summary>
    private static bool SameFlowAndHeaders(ReadOnlySpan<byte> first, ReadOnlySpan<byte> candidate, int headerLength) =>
        first[1] == candidate[1]
        && first[6] >> 5 == candidate[6] >> 5
        && first[8] == candidate[8]
        && first.Slice(12, 8).SequenceEqual(candidate.Slice(12, 8))
        && first.Slice(IPv4HeaderLength, 4).SequenceEqual(candidate.Slice(IPv4HeaderLength, 4))
        && first.Slice(IPv4HeaderLength + 8, 5).SequenceEqual(candidate.Slice(IPv4HeaderLength + 8, 5))
        && first[(IPv4HeaderLength + 20)..headerLength].SequenceEqual(candidate[(IPv4HeaderLength + 20)..headerLength]);

    private static bool ChecksumsValid(ReadOnlySpan<byte> packet, int headerLength) =>
        InternetChecksum.IsValid(packet[..IPv4HeaderLength])
        && InternetChecksum.IsValid(packet[IPv4HeaderLength..],
            InternetChecksum.PseudoHeaderSum(packet[12..], packet[16..], 6, packet.Length - IPv4HeaderLength));
}

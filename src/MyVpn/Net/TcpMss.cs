using System.Buffers.Binary;

namespace MyVpn.Net;

/// <summary>
/// MSS clamping: a TCP SYN or SYN-ACK crossing the tunnel gets its maximum segment size option lowered
/// so that a full segment fits the tunnel's MTU (MTU − 40 for IPv4, MTU − 60 for IPv6: the IP and TCP
/// headers), with the TCP checksum updated incrementally (RFC 1624). Works in place on the raw packet,
/// both families; IPv6 only when TCP follows the fixed header directly (no extension headers). A SYN
/// without the option is left alone: its default MSS (536, or 1220 for IPv6) fits any tunnel.
/// </summary>
public static class TcpMss
{
    private const byte ProtocolTcp = 6;
    private const int Ipv6HeaderLength = 40;
    private const int TcpMinHeader = 20;
    private const byte FlagSyn = 0x02;
    private const byte OptionEnd = 0;
    private const byte OptionNop = 1;
    private const byte OptionMss = 2;

    /// <summary>The largest MSS a segment may announce through a tunnel of <paramref name="mtu"/> for IP version <paramref name="version"/>.</summary>
    public static int Limit(int mtu, int version) => mtu - (version == 6 ? 60 : 40);

    /// <summary>Lowers the MSS option of a SYN in <paramref name="packet"/> to fit <paramref name="mtu"/>.</summary>
    public static MssClampOutcome Clamp(Span<byte> packet, int mtu)
    {
        if (packet.IsEmpty)
            return MssClampOutcome.NotSyn;
        int tcp;
        int version = packet[0] >> 4;
        if (version == 4)
        {
            if (packet.Length < IPv4Header.MinHeaderLength)
                return MssClampOutcome.Malformed;
            if (packet[9] != ProtocolTcp || (BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & 0x1FFF) != 0)
                return MssClampOutcome.NotSyn;
            tcp = (packet[0] & 0x0F) * 4;
            if (tcp < IPv4Header.MinHeaderLength)
                return MssClampOutcome.Malformed;
        }
        else if (version == 6)
        {
            if (packet.Length < Ipv6HeaderLength)
                return MssClampOutcome.Malformed;
            if (packet[6] != ProtocolTcp)
                return MssClampOutcome.NotSyn;
            tcp = Ipv6HeaderLength;
        }
        else
        {
            return MssClampOutcome.NotSyn;
        }
        if (packet.Length < tcp + TcpMinHeader)
            return MssClampOutcome.Malformed;
        if ((packet[tcp + 13] & FlagSyn) == 0)
            return MssClampOutcome.NotSyn;
        var end = tcp + (packet[tcp + 12] >> 4) * 4;
        if (end < tcp + TcpMinHeader || end > packet.Length)
            return MssClampOutcome.Malformed;
        var limit = Limit(mtu, version);
        for (var at = tcp + TcpMinHeader; at < end;)
        {
            var kind = packet[at];
            if (kind == OptionEnd)
                break;
            if (kind == OptionNop)
            {
                at++;
                continue;
            }
            if (at + 1 >= end)
                return MssClampOutcome.Malformed;
            var length = packet[at + 1];
            if (length < 2 || at + length > end)
                return MssClampOutcome.Malformed;
            if (kind == OptionMss && length == 4)
                return Lower(packet, tcp, at + 2, limit);
            at += length;
        }
        return MssClampOutcome.Fits;
    }

    private static MssClampOutcome Lower(Span<byte> packet, int tcp, int field, int limit)
    {
        var mss = BinaryPrimitives.ReadUInt16BigEndian(packet[field..]);
        if (mss <= limit)
            return MssClampOutcome.Fits;
        var lowered = (ushort)limit;
        BinaryPrimitives.WriteUInt16BigEndian(packet[field..], lowered);
        // The checksum sums 16-bit words from the TCP header's start; a field at an odd offset straddles two
        // words, which adds its bytes swapped (the sum is byte-order independent, RFC 1071 §2(B)).
        var odd = ((field - tcp) & 1) == 1;
        var old = odd ? BinaryPrimitives.ReverseEndianness(mss) : mss;
        var replacement = odd ? BinaryPrimitives.ReverseEndianness(lowered) : lowered;
        var checksum = packet.Slice(tcp + 16, 2);
        BinaryPrimitives.WriteUInt16BigEndian(checksum,
            PacketChecksum.Adjust(BinaryPrimitives.ReadUInt16BigEndian(checksum), old, replacement));
        return MssClampOutcome.Lowered;
    }
}

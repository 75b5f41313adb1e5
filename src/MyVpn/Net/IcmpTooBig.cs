using System.Buffers.Binary;

namespace MyVpn.Net;

/// <summary>
/// The answer to a packet too big for the tunnel, built in place over that packet: ICMP type 3 code 4
/// "fragmentation needed" with the next-hop MTU (RFC 792, RFC 1191) for IPv4, ICMPv6 type 2 "packet too
/// big" (RFC 4443) for IPv6. The answer quotes the start of the packet (up to 576 bytes in all for IPv4,
/// 1280 for IPv6) and goes back to the packet's source.
/// </summary>
public static class IcmpTooBig
{
    public const int IPv4HeaderLength = 20;
    public const int IPv6HeaderLength = 40;
    private const int IcmpHeaderLength = 8;
    private const int MaxIPv4Answer = 576;
    private const int MaxIPv6Answer = 1280;
    private const byte ProtocolIcmp = 1;
    private const byte ProtocolIcmpV6 = 58;

    /// <summary>
    /// Whether <paramref name="packet"/> may not be fragmented on its way, so that an oversize one is dropped
    /// and answered: an IPv4 packet with DF set, or any IPv6 packet (routers never fragment IPv6). An IPv4
    /// packet without DF is not: it may cross the tunnel in an outer packet the kernel fragments.
    /// </summary>
    public static bool DontFragment(ReadOnlySpan<byte> packet) => IPv4Header.VersionOf(packet) switch
    {
        4 => packet.Length >= IPv4HeaderLength && (packet[6] & 0x40) != 0,
        6 => packet.Length >= IPv6HeaderLength,
        _ => false,
    };

    /// <summary>
    /// Whether an oversize <paramref name="packet"/> gets an answer: a whole fixed header, and not itself an
    /// ICMP or ICMPv6 error (an error is never answered with another).
    /// </summary>
    public static bool Answerable(ReadOnlySpan<byte> packet)
    {
        var version = IPv4Header.VersionOf(packet);
        if (version == 4)
        {
            if (packet.Length < IPv4HeaderLength)
                return false;
            var header = (packet[0] & 0x0F) * 4;
            if (header < IPv4HeaderLength || header > packet.Length)
                return false;
            // ICMP errors: destination unreachable, source quench, redirect, time exceeded, parameter problem
            return packet[9] != ProtocolIcmp || (packet.Length > header && packet[header] is not (3 or 4 or 5 or 11 or 12));
        }
        if (version == 6)
            return packet.Length >= IPv6HeaderLength
                && (packet[6] != ProtocolIcmpV6 || (packet.Length > IPv6HeaderLength && packet[IPv6HeaderLength] >= 128));
        return false;
    }

    /// <summary>The length of the answer to a packet of <paramref name="length"/> bytes of IP version <paramref name="version"/>.</summary>
    public static int AnswerLength(int version, int length) => version == 4
        ? IPv4HeaderLength + IcmpHeaderLength + Math.Min(length, MaxIPv4Answer - IPv4HeaderLength - IcmpHeaderLength)
        : IPv6HeaderLength + IcmpHeaderLength + Math.Min(length, MaxIPv6Answer - IPv6HeaderLength - IcmpHeaderLength);

    /// <summary>
    /// Overwrites the IPv4 packet of <paramref name="length"/> bytes at the start of <paramref name="buffer"/>
    /// with a "fragmentation needed" from <paramref name="source"/> carrying <paramref name="mtu"/>; returns
    /// the answer's length. <paramref name="buffer"/> must hold <see cref="AnswerLength"/> bytes.
    /// </summary>
    public static int WriteIPv4(Span<byte> buffer, int length, IPv4Address source, int mtu)
    {
        var quoted = Math.Min(length, MaxIPv4Answer - IPv4HeaderLength - IcmpHeaderLength);
        const int icmp = IPv4HeaderLength;
        buffer[..quoted].CopyTo(buffer[(icmp + IcmpHeaderLength)..]);
        var total = icmp + IcmpHeaderLength + quoted;
        var ip = buffer[..IPv4HeaderLength];
        ip.Clear();
        ip[0] = 0x45;
        ip[1] = 0xC0; // internetwork control, as the kernel marks its ICMP errors
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)total);
        ip[8] = 64;
        ip[9] = ProtocolIcmp;
        source.Write(ip[12..]);
        buffer.Slice(icmp + IcmpHeaderLength + 12, 4).CopyTo(ip[16..]); // to the quoted packet's source
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], PacketChecksum.Of(ip));
        var message = buffer[icmp..total];
        message[..IcmpHeaderLength].Clear();
        message[0] = 3;
        message[1] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(message[6..], (ushort)mtu);
        BinaryPrimitives.WriteUInt16BigEndian(message[2..], PacketChecksum.Of(message));
        return total;
    }

    /// <summary>
    /// Overwrites the IPv6 packet of <paramref name="length"/> bytes at the start of <paramref name="buffer"/>
    /// with a "packet too big" carrying <paramref name="mtu"/>, sent from the packet's destination (the
    /// daemon has no address of its own on the packet's path); returns the answer's length.
    /// </summary>
    public static int WriteIPv6(Span<byte> buffer, int length, int mtu)
    {
        var quoted = Math.Min(length, MaxIPv6Answer - IPv6HeaderLength - IcmpHeaderLength);
        const int icmp = IPv6HeaderLength;
        buffer[..quoted].CopyTo(buffer[(icmp + IcmpHeaderLength)..]);
        var payload = IcmpHeaderLength + quoted;
        var ip = buffer[..IPv6HeaderLength];
        var original = buffer[(icmp + IcmpHeaderLength)..];
        ip[..8].Clear();
        ip[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)payload);
        ip[6] = ProtocolIcmpV6;
        ip[7] = 64;
        original.Slice(24, 16).CopyTo(ip[8..]);  // from the quoted packet's destination
        original.Slice(8, 16).CopyTo(ip[24..]);  // to its source
        var message = buffer.Slice(icmp, payload);
        message[..IcmpHeaderLength].Clear();
        message[0] = 2;
        BinaryPrimitives.WriteUInt32BigEndian(message[4..], (uint)mtu);
        var sum = PacketChecksum.Add(0, ip.Slice(8, 32));
        sum = PacketChecksum.Add(sum, [0, 0, (byte)(payload >> 8), (byte)payload, 0, 0, 0, ProtocolIcmpV6]);
        BinaryPrimitives.WriteUInt16BigEndian(message[2..], PacketChecksum.Complete(PacketChecksum.Add(sum, message)));
        return IPv6HeaderLength + payload;
    }
}

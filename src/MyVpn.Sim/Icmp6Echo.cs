using System.Buffers.Binary;
using MyVpn.Net;

namespace MyVpn.Sim;

/// <summary>
/// An ICMPv6 echo request (type 128) or reply (129) inside an IPv6 packet (next header 58, hop limit 64),
/// with the checksum over the IPv6 pseudo-header (RFC 4443): the IPv6 counterpart of <see cref="IcmpEcho"/>.
/// </summary>
internal sealed record Icmp6Echo(IPv6Address Source, IPv6Address Target, bool IsReply, ushort Id, ushort Sequence, byte[] Payload)
{
    public const byte NextHeader = 58;
    private const byte EchoRequest = 128;
    private const byte EchoReply = 129;
    private const int HeaderLength = 40;

    public byte[] ToPacket()
    {
        var packet = new byte[HeaderLength + 8 + Payload.Length];
        packet[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)(8 + Payload.Length));
        packet[6] = NextHeader;
        packet[7] = 64;
        Source.Write(packet.AsSpan(8));
        Target.Write(packet.AsSpan(24));
        var icmp = packet.AsSpan(HeaderLength);
        icmp[0] = IsReply ? EchoReply : EchoRequest;
        BinaryPrimitives.WriteUInt16BigEndian(icmp[4..], Id);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[6..], Sequence);
        Payload.CopyTo(icmp[8..]);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], Checksum(packet));
        return packet;
    }

    /// <summary>The reply a host sends to this request: addresses swapped, same id, sequence and payload.</summary>
    public Icmp6Echo Reply() => new(Target, Source, IsReply: true, Id, Sequence, Payload);

    /// <summary>Parses an echo request or reply with a valid checksum and matching lengths; false for anything else.</summary>
    public static bool TryParse(byte[] packet, out Icmp6Echo echo)
    {
        echo = null!;
        if (packet.Length < HeaderLength + 8 || packet[0] >> 4 != 6 || packet[6] != NextHeader
            || BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(4)) != packet.Length - HeaderLength || Checksum(packet) != 0)
            return false;
        var icmp = packet.AsSpan(HeaderLength);
        if (icmp[0] is not (EchoRequest or EchoReply) || icmp[1] != 0)
            return false;
        echo = new Icmp6Echo(IPv6Address.Read(packet.AsSpan(8)), IPv6Address.Read(packet.AsSpan(24)), icmp[0] == EchoReply,
            BinaryPrimitives.ReadUInt16BigEndian(icmp[4..]), BinaryPrimitives.ReadUInt16BigEndian(icmp[6..]), icmp[8..].ToArray());
        return true;
    }

    /// <summary>
    /// The one's-complement sum over the pseudo-header (addresses, upper-layer length, next header) and the
    /// ICMPv6 message as it stands: the checksum to write when its field is zero, 0 when a written one is right.
    /// </summary>
    private static ushort Checksum(ReadOnlySpan<byte> packet)
    {
        var icmp = packet[HeaderLength..];
        ulong sum = (ulong)icmp.Length + NextHeader;
        sum += Sum(packet.Slice(8, 32));
        sum += Sum(icmp);
        while (sum >> 16 != 0)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }

    private static ulong Sum(ReadOnlySpan<byte> bytes)
    {
        ulong sum = 0;
        for (var i = 0; i + 1 < bytes.Length; i += 2)
            sum += BinaryPrimitives.ReadUInt16BigEndian(bytes[i..]);
        if ((bytes.Length & 1) != 0)
            sum += (ulong)bytes[^1] << 8;
        return sum;
    }
}

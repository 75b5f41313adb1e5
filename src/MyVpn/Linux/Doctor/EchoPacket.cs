using System.Buffers.Binary;
using MyVpn.Linux.Offload;
using MyVpn.Net;

namespace MyVpn.Linux.Doctor;

/// <summary>The ICMP echo request the doctor's probe sends through the tunnel, and the test for its reply.</summary>
internal static class EchoPacket
{
    public const int Length = 20 + 8 + 16;
    private const byte Icmp = 1;
    private const byte EchoRequest = 8;
    private const byte EchoReply = 0;

    /// <summary>Writes an IPv4 ICMP echo request from <paramref name="source"/> to <paramref name="destination"/> into <paramref name="packet"/>.</summary>
    public static void Write(Span<byte> packet, IPv4Address source, IPv4Address destination, ushort id, ushort sequence)
    {
        packet[..Length].Clear();
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], Length);
        packet[8] = 64;
        packet[9] = Icmp;
        source.Write(packet[12..]);
        destination.Write(packet[16..]);
        InternetChecksum.UpdateIPv4Header(packet[..20]);
        var icmp = packet[20..Length];
        icmp[0] = EchoRequest;
        BinaryPrimitives.WriteUInt16BigEndian(icmp[4..], id);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[6..], sequence);
        "myvpn doctor ok."u8.CopyTo(icmp[8..]);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], InternetChecksum.Complement(InternetChecksum.Sum(icmp)));
    }

    /// <summary>True when <paramref name="packet"/> is an ICMP echo reply with this id.</summary>
    public static bool IsReply(ReadOnlySpan<byte> packet, ushort id) =>
        packet.Length >= 28 && packet[0] >> 4 == 4 && packet[9] == Icmp
        && packet[(packet[0] & 0xF) * 4] == EchoReply
        && packet.Length >= (packet[0] & 0xF) * 4 + 8
        && BinaryPrimitives.ReadUInt16BigEndian(packet[((packet[0] & 0xF) * 4 + 4)..]) == id;
}

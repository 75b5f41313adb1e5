using System.Buffers.Binary;

namespace MyVpn.Tests.Unit.Linux.Offload;

/// <summary>RFC 791/793 checksums, computed word by word.</summary>
internal static class Reference
{
    public static uint Add(ReadOnlySpan<byte> data, uint sum = 0)
    {
        for (var i = 0; i < data.Length; i += 2)
            sum += (uint)(data[i] << 8 | (i + 1 < data.Length ? data[i + 1] : 0));
        return sum;
    }

    public static ushort Fold(uint sum)
    {
        while (sum > 0xFFFF)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)sum;
    }

    public static ushort Checksum(ReadOnlySpan<byte> data) => (ushort)~Fold(Add(data));

    public static uint PseudoHeader(ReadOnlySpan<byte> packet, byte protocol)
    {
        var ipl = (packet[0] & 0x0F) * 4;
        var length = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]) - ipl;
        return Add(packet.Slice(12, 8), (uint)protocol + (uint)length);
    }

    /// <summary>The TCP checksum of an IPv4 packet, its checksum field taken as zero.</summary>
    public static ushort TcpChecksum(ReadOnlySpan<byte> packet)
    {
        var ipl = (packet[0] & 0x0F) * 4;
        var copy = packet.ToArray();
        copy[ipl + 16] = copy[ipl + 17] = 0;
        var length = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        return (ushort)~Fold(Add(copy.AsSpan(ipl, length - ipl), PseudoHeader(packet, 6)));
    }

    public static bool IpChecksumValid(ReadOnlySpan<byte> packet) => Fold(Add(packet[..((packet[0] & 0x0F) * 4)])) == 0xFFFF;

    public static bool TcpChecksumValid(ReadOnlySpan<byte> packet)
    {
        var ipl = (packet[0] & 0x0F) * 4;
        var length = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        return Fold(Add(packet[ipl..length], PseudoHeader(packet, 6))) == 0xFFFF;
    }
}

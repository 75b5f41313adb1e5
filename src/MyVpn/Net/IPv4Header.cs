using System.Buffers.Binary;

namespace MyVpn.Net;

/// <summary>Reads the few IPv4 header fields the VPN routes by, checking the header first.</summary>
public static class IPv4Header
{
    public const int MinHeaderLength = 20;

    /// <summary>The IP version nibble of a packet (4, 6, or anything for garbage); 0 for an empty one.</summary>
    public static int VersionOf(ReadOnlySpan<byte> packet) => packet.IsEmpty ? 0 : packet[0] >> 4;

    /// <summary>
    /// True when <paramref name="packet"/> is an IPv4 packet whose header is complete and whose
    /// total length field equals the packet's length; then gives its source and destination.
    /// </summary>
    public static bool TryReadAddresses(ReadOnlySpan<byte> packet, out IPv4Address source, out IPv4Address destination)
    {
        source = destination = default;
        if (packet.Length < MinHeaderLength || VersionOf(packet) != 4)
            return false;
        var headerLength = (packet[0] & 0x0F) * 4;
        if (headerLength < MinHeaderLength || headerLength > packet.Length)
            return false;
        if (BinaryPrimitives.ReadUInt16BigEndian(packet[2..]) != packet.Length)
            return false;
        source = IPv4Address.Read(packet[12..]);
        destination = IPv4Address.Read(packet[16..]);
        return true;
    }
}

using System.Buffers.Binary;

namespace MyVpn.Net;

/// <summary>Reads the few IPv6 header fields the VPN routes by, checking the fixed header first.</summary>
public static class IPv6Header
{
    public const int Length = 40;
    public const int SourceOffset = 8;
    public const int DestinationOffset = 24;

    /// <summary>
    /// True when <paramref name="packet"/> is an IPv6 packet whose fixed header is complete and whose payload
    /// length field matches the packet's length (no jumbograms); then gives its source and destination bytes.
    /// </summary>
    public static bool TryReadAddresses(ReadOnlySpan<byte> packet, out ReadOnlySpan<byte> source, out ReadOnlySpan<byte> destination)
    {
        source = destination = default;
        if (packet.Length < Length || IPv4Header.VersionOf(packet) != 6)
            return false;
        if (BinaryPrimitives.ReadUInt16BigEndian(packet[4..]) != packet.Length - Length)
            return false;
        source = packet.Slice(SourceOffset, IPv6Address.Size);
        destination = packet.Slice(DestinationOffset, IPv6Address.Size);
        return true;
    }
}

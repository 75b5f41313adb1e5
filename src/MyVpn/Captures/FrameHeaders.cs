using System.Buffers.Binary;
using MyVpn.Net;
using PacketDotNet;

namespace MyVpn.Captures;

/// <summary>
/// Where the UDP or TCP payload sits in one captured frame, and its endpoints: the link header (Ethernet
/// with up to two VLAN tags, Linux cooked SLL, or none for raw IP), the IPv4 header and the UDP or TCP
/// header, each length checked against the bytes captured. Reads nothing beyond those headers.
/// </summary>
internal readonly record struct FrameHeaders(CapturedTransport Transport, NetEndpoint Source, NetEndpoint Destination,
    int PayloadOffset, int PayloadLength, uint TcpSequence)
{
    private const ushort EtherTypeIPv4 = 0x0800;
    private const int MaxVlanTags = 2;
    private const byte Tcp = 6;
    private const byte Udp = 17;

    public static bool TryRead(LinkLayers link, ReadOnlySpan<byte> frame, out FrameHeaders headers)
    {
        headers = default;
        return TryLinkHeaderLength(link, frame, out var offset) && TryReadIPv4(frame, offset, out headers);
    }

    /// <summary>The bytes before the IPv4 header; false if the frame does not carry IPv4.</summary>
    private static bool TryLinkHeaderLength(LinkLayers link, ReadOnlySpan<byte> frame, out int length)
    {
        length = 0;
        switch (link)
        {
            case LinkLayers.Raw or LinkLayers.RawLegacy or LinkLayers.IPv4:
                return true;
            case LinkLayers.LinuxSll: // packet type 2, address type 2, address length 2, address 8, protocol 2
                length = 16;
                return frame.Length >= length && BinaryPrimitives.ReadUInt16BigEndian(frame[14..]) == EtherTypeIPv4;
            case LinkLayers.Ethernet: // destination 6, source 6, [802.1Q/802.1ad tag 4]..., EtherType 2
                length = 14;
                for (var tags = 0; frame.Length >= length; tags++)
                {
                    var etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[(length - 2)..]);
                    if (etherType is not (0x8100 or 0x88A8) || tags == MaxVlanTags)
                        return etherType == EtherTypeIPv4;
                    length += 4;
                }
                return false;
            default:
                return false;
        }
    }

    private static bool TryReadIPv4(ReadOnlySpan<byte> frame, int offset, out FrameHeaders headers)
    {
        headers = default;
        var ip = frame[offset..];
        if (ip.Length < 20 || ip[0] >> 4 != 4)
            return false;
        var headerLength = (ip[0] & 0x0F) * 4;
        var totalLength = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        if (headerLength < 20 || totalLength < headerLength || totalLength > ip.Length)
            return false; // malformed, or cut short: what is left is not the datagram that was sent
        if ((BinaryPrimitives.ReadUInt16BigEndian(ip[6..]) & 0x1FFF) != 0)
            return false; // a later fragment: no transport header in it
        var source = IPv4Address.Read(ip[12..]);
        var destination = IPv4Address.Read(ip[16..]);
        var transport = ip[headerLength..totalLength];
        var start = offset + headerLength;
        switch (ip[9])
        {
            case Udp when transport.Length >= 8:
                headers = new FrameHeaders(CapturedTransport.Udp,
                    new NetEndpoint(source, BinaryPrimitives.ReadUInt16BigEndian(transport)),
                    new NetEndpoint(destination, BinaryPrimitives.ReadUInt16BigEndian(transport[2..])),
                    start + 8, transport.Length - 8, 0);
                return true;
            case Tcp when transport.Length >= 20 && (transport[12] >> 4) * 4 is var tcpHeader && tcpHeader >= 20 && tcpHeader <= transport.Length:
                headers = new FrameHeaders(CapturedTransport.Tcp,
                    new NetEndpoint(source, BinaryPrimitives.ReadUInt16BigEndian(transport)),
                    new NetEndpoint(destination, BinaryPrimitives.ReadUInt16BigEndian(transport[2..])),
                    start + tcpHeader, transport.Length - tcpHeader, BinaryPrimitives.ReadUInt32BigEndian(transport[4..]));
                return true;
            default:
                return false;
        }
    }
}

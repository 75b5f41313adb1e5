using PacketDotNet;
using SharpPcap;
using SharpPcap.LibPcap;

namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>Reads pcap files with SharpPcap and PacketDotNet.</summary>
internal static class PcapFile
{
    public static IReadOnlyList<CapturedDatagram> ReadUdp(string path) =>
        ReadPackets(path)
            .Select(packet => packet.Extract<UdpPacket>() is { ParentPacket: IPv4Packet ip } udp
                ? new CapturedDatagram(ip.SourceAddress.ToString(), udp.SourcePort, ip.DestinationAddress.ToString(),
                    udp.DestinationPort, udp.PayloadData ?? [])
                : null)
            .OfType<CapturedDatagram>()
            .ToList();

    /// <summary>The IPv4 packets in the file (any link type tcpdump wrote).</summary>
    public static IReadOnlyList<IPv4Packet> ReadIPv4(string path) =>
        ReadPackets(path).Select(p => p.Extract<IPv4Packet>()).OfType<IPv4Packet>().ToList();

    /// <summary>The IPv6 packets in the file (any link type tcpdump wrote).</summary>
    public static IReadOnlyList<IPv6Packet> ReadIPv6(string path) =>
        ReadPackets(path).Select(p => p.Extract<IPv6Packet>()).OfType<IPv6Packet>().ToList();

    /// <summary>Every captured frame's bytes, whatever they hold.</summary>
    public static IReadOnlyList<byte[]> ReadFrames(string path)
    {
        var frames = new List<byte[]>();
        using var device = new CaptureFileReaderDevice(path);
        device.Open();
        while (device.GetNextPacket(out var capture) == GetPacketStatus.PacketRead)
            frames.Add(capture.GetPacket().Data);
        return frames;
    }

    private static List<Packet> ReadPackets(string path)
    {
        var packets = new List<Packet>();
        using var device = new CaptureFileReaderDevice(path);
        device.Open();
        while (device.GetNextPacket(out var capture) == GetPacketStatus.PacketRead)
        {
            var raw = capture.GetPacket();
            packets.Add(Packet.ParsePacket(raw.LinkLayerType, raw.Data));
        }
        return packets;
    }
}

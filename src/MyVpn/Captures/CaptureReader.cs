using MyVpn.Net;
using PacketDotNet;
using IPv4Packet = PacketDotNet.IPv4Packet;
using SharpPcap;

namespace MyVpn.Captures;

/// <summary>
/// Reads a pcap file with SharpPcap and yields its IPv4 UDP and TCP packets. Understands Ethernet,
/// Linux cooked (SLL) and raw IP link types; anything else is a <see cref="CaptureException"/>.
/// </summary>
public static class CaptureReader
{
    public static IEnumerable<CapturedPacket> Read(string path)
    {
        if (!File.Exists(path))
            throw new CaptureException($"no capture at {path}");
        var device = Open(path);
        try
        {
            var link = device.LinkType;
            if (!IsSupported(link))
                throw new CaptureException($"{path}: link type {link} ({(int)link}) is not supported; MyVpn reads Ethernet, Linux cooked (SLL) and raw IP captures");
            var number = 0;
            while (true)
            {
                GetPacketStatus status;
                PacketCapture capture;
                try
                {
                    status = device.GetNextPacket(out capture);
                }
                catch (PcapException e)
                {
                    throw new CaptureException($"{path}: unreadable after packet {number}: {e.Message}");
                }
                if (status == GetPacketStatus.NoRemainingPackets)
                    yield break;
                if (status != GetPacketStatus.PacketRead)
                    throw new CaptureException($"{path}: truncated or damaged after packet {number}");
                number++;
                var raw = capture.GetPacket();
                if (TryParse(number, raw, out var packet))
                    yield return packet;
            }
        }
        finally
        {
            device.Close();
        }
    }

    private static SharpPcap.LibPcap.CaptureFileReaderDevice Open(string path)
    {
        var device = new SharpPcap.LibPcap.CaptureFileReaderDevice(path);
        try
        {
            device.Open();
            return device;
        }
        catch (Exception e) when (e is PcapException or DllNotFoundException)
        {
            throw new CaptureException(e is DllNotFoundException
                ? "libpcap is not installed (apt-get install libpcap0.8)"
                : $"{path}: not a readable pcap file: {e.Message}");
        }
    }

    private static bool IsSupported(LinkLayers link) =>
        link is LinkLayers.Ethernet or LinkLayers.LinuxSll or LinkLayers.Raw or LinkLayers.RawLegacy or LinkLayers.IPv4;

    /// <summary>
    /// libpcap reads a record's seconds and microseconds as signed 32 bits: a damaged time can come back
    /// negative, which SharpPcap cannot turn into seconds again (to write it, for one). Such a packet gets time 0.
    /// </summary>
    private static bool Representable(PosixTimeval time)
    {
        try
        {
            _ = (time.Seconds, time.MicroSeconds);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>
    /// The IPv4 UDP or TCP packet in a frame; false for anything else, and for a packet PacketDotNet cannot
    /// take apart (its headers announce more bytes than the capture holds, as after a snap length).
    /// PacketDotNet parses lazily, so the payload is read inside the try as well.
    /// </summary>
    private static bool TryParse(int number, RawCapture raw, out CapturedPacket packet)
    {
        packet = null!;
        try
        {
            var ip = raw.LinkLayerType is LinkLayers.Raw or LinkLayers.RawLegacy or LinkLayers.IPv4
                ? (raw.Data.Length > 0 && raw.Data[0] >> 4 == 4 ? new IPv4Packet(new PacketDotNet.Utils.ByteArraySegment(raw.Data)) : null)
                : Packet.ParsePacket(raw.LinkLayerType, raw.Data).Extract<IPv4Packet>();
            if (ip is null || ip.TotalLength > ip.BytesSegment.Length)
                return false; // not IPv4, or cut short: what is left is not the datagram that was sent
            var time = Representable(raw.Timeval) ? raw.Timeval : new PosixTimeval(0, 0);
            var source = IPv4Address.From(ip.SourceAddress);
            var destination = IPv4Address.From(ip.DestinationAddress);
            switch (ip.PayloadPacket)
            {
                case UdpPacket udp:
                    packet = new CapturedPacket(number, time, CapturedTransport.Udp, new IPv4Endpoint(source, udp.SourcePort),
                        new IPv4Endpoint(destination, udp.DestinationPort), udp.PayloadData ?? []);
                    return true;
                case TcpPacket tcp:
                    packet = new CapturedPacket(number, time, CapturedTransport.Tcp, new IPv4Endpoint(source, tcp.SourcePort),
                        new IPv4Endpoint(destination, tcp.DestinationPort), tcp.PayloadData ?? [], tcp.SequenceNumber);
                    return true;
                default:
                    return false;
            }
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidOperationException)
        {
            packet = null!;
            return false;
        }
    }
}

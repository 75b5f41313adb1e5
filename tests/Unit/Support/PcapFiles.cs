using System.Net;
using MyVpn.Net;
using PacketDotNet;
using SharpPcap;
using SharpPcap.LibPcap;

namespace MyVpn.Tests.Unit.Support;

/// <summary>Writes datagrams as a pcap file (Ethernet or raw IP), one second apart, for capture tool tests.</summary>
public static class PcapFiles
{
    public static void Write(string path, IEnumerable<WireDatagram> datagrams, LinkLayers link = LinkLayers.Ethernet)
    {
        var writer = new CaptureFileWriterDevice(path, FileMode.Create);
        writer.Open(new DeviceConfiguration { LinkLayerType = link });
        var second = 1_700_000_000UL;
        var sequences = new Dictionary<(NetEndpoint, NetEndpoint), uint>();
        foreach (var d in datagrams)
        {
            Packet transport;
            if (d.Tcp)
            {
                sequences.TryGetValue((d.From, d.To), out var seq);
                transport = new TcpPacket(d.From.Port, d.To.Port) { SequenceNumber = 1000 + seq, Push = true, Acknowledgment = true, WindowSize = 512, PayloadData = d.Bytes };
                sequences[(d.From, d.To)] = seq + (uint)d.Bytes.Length;
            }
            else
            {
                transport = new UdpPacket(d.From.Port, d.To.Port) { PayloadData = d.Bytes };
            }
            var ip = new IPv4Packet(d.From.Address.ToIPAddress(), d.To.Address.ToIPAddress())
            {
                PayloadPacket = transport,
                TimeToLive = 64,
            };
            ip.UpdateCalculatedValues();
            Packet frame = link == LinkLayers.Ethernet
                ? new EthernetPacket(PhysicalAddress("020000000001"), PhysicalAddress("020000000002"), EthernetType.IPv4) { PayloadPacket = ip }
                : ip;
            writer.Write(new RawCapture(link, new PosixTimeval(second++, 0), frame.Bytes));
        }
        writer.Close();
    }

    /// <summary>The inner packets of a raw-IP pcap, in order.</summary>
    public static List<byte[]> ReadRaw(string path)
    {
        var reader = new CaptureFileReaderDevice(path);
        reader.Open();
        var packets = new List<byte[]>();
        while (reader.GetNextPacket(out var capture) == GetPacketStatus.PacketRead)
            packets.Add(capture.GetPacket().Data);
        reader.Close();
        return packets;
    }

    /// <summary>The frames of a pcap of any link type, as recorded, in order.</summary>
    public static List<byte[]> ReadFrames(string path) => ReadRaw(path);

    private static System.Net.NetworkInformation.PhysicalAddress PhysicalAddress(string hex) =>
        System.Net.NetworkInformation.PhysicalAddress.Parse(hex);
}

using MyVpn.Net;
using PacketDotNet;
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
    /// The IPv4 UDP or TCP packet in a frame; false for anything else: another protocol, a fragment after
    /// the first, or a packet whose headers announce more bytes than the capture holds (as after a snap
    /// length). Only the headers MyVpn needs are read, by <see cref="FrameHeaders"/>, with every length
    /// checked: a capture is untrusted input, and a general dissector that decodes layer after layer can
    /// be driven by a crafted frame into recursion deep enough to overflow the stack, which no catch
    /// stops.
    /// </summary>
    private static bool TryParse(int number, RawCapture raw, out CapturedPacket packet)
    {
        packet = null!;
        if (!FrameHeaders.TryRead(raw.LinkLayerType, raw.Data, out var headers))
            return false;
        var time = Representable(raw.Timeval) ? raw.Timeval : new PosixTimeval(0, 0);
        packet = new CapturedPacket(number, time, headers.Transport, headers.Source, headers.Destination,
            raw.Data.AsSpan(headers.PayloadOffset, headers.PayloadLength).ToArray(), headers.TcpSequence);
        return true;
    }
}

using MyVpn.Net;
using PacketDotNet;
using SharpPcap;
using SharpPcap.LibPcap;

namespace MyVpn.Sim;

/// <summary>
/// Writes the simulated WAN as a pcap file (link type raw IP) that <c>myvpn pcap</c>, tshark and
/// Wireshark read: every datagram, handshake-stream segment and IP packet once, as its sender put it
/// on the wire (copies the network duplicates or replays are left out, as a capture at the sender
/// would), stamped with virtual time from the epoch. The IP and TCP headers the simulator does not
/// model are filled in the same way every time (TTL 64, ID 0, sequence numbers counted per direction
/// from a fixed start), so one seed always gives the same file, byte for byte.
/// </summary>
internal sealed class WanCapture : IDisposable
{
    private const uint InitialSequence = 1000;

    private readonly CaptureFileWriterDevice _writer;
    private readonly Dictionary<(NetEndpoint From, NetEndpoint To), uint> _nextSequence = [];

    public WanCapture(string path)
    {
        _writer = new CaptureFileWriterDevice(path, FileMode.Create);
        try
        {
            _writer.Open(new DeviceConfiguration { LinkLayerType = LinkLayers.RawLegacy });
        }
        catch (PcapException e)
        {
            throw new IOException($"cannot write {path}: {e.Message}", e);
        }
        catch (DllNotFoundException)
        {
            throw new IOException($"cannot write {path}: libpcap is not installed (apt-get install libpcap0.8)");
        }
    }

    public int Packets { get; private set; }

    /// <summary>A trace observer: writes the events that are a sender's transmission.</summary>
    public void OnWire(WireEvent e)
    {
        if (!IsTransmission(e))
            return;
        var bytes = e.Kind switch
        {
            WireKind.Ip => e.Bytes,
            WireKind.Udp => Ip(e, new UdpPacket(e.Source.Port, e.Target.Port) { PayloadData = e.Bytes }),
            _ => Ip(e, Segment(e)),
        };
        var time = new PosixTimeval((ulong)(e.Time / TimeSpan.TicksPerSecond), (ulong)(e.Time % TimeSpan.TicksPerSecond / 10));
        _writer.Write(new RawCapture(LinkLayers.RawLegacy, time, bytes));
        Packets++;
    }

    public void Dispose() => _writer.Close();

    /// <summary>
    /// The first record of each send: delivered, or lost on the way, or sent to an address nobody has.
    /// Duplicates and replays the link makes, and drops recorded on arrival, are not sent again.
    /// </summary>
    internal static bool IsTransmission(WireEvent e) =>
        e.Outcome.StartsWith("deliver", StringComparison.Ordinal) || e.Outcome is "drop(loss)" or "drop(unreachable)";

    private static byte[] Ip(WireEvent e, TransportPacket transport)
    {
        IPPacket ip = e.Source.IsIPv6 || e.Target.IsIPv6
            ? new IPv6Packet(e.Source.IPv6.ToIPAddress(), e.Target.IPv6.ToIPAddress()) { PayloadPacket = transport, HopLimit = 64 }
            : new IPv4Packet(e.Source.Address.ToIPAddress(), e.Target.Address.ToIPAddress()) { PayloadPacket = transport, TimeToLive = 64 };
        ip.UpdateCalculatedValues();
        if (transport is TcpPacket tcp)
            tcp.UpdateTcpChecksum();
        else if (transport is UdpPacket udp)
            udp.UpdateUdpChecksum();
        if (ip is IPv4Packet v4)
            v4.UpdateIPChecksum();
        return ip.Bytes;
    }

    /// <summary>
    /// A TCP segment with the sequence and acknowledgement numbers a real stack would have put there:
    /// each direction counts from <see cref="InitialSequence"/> at its SYN, and data and FIN advance it.
    /// A forged segment takes the numbers of the side it pretends to be (the attacker saw them).
    /// </summary>
    private TcpPacket Segment(WireEvent e)
    {
        var forward = (e.Source, e.Target);
        var backward = (e.Target, e.Source);
        var kind = e.Detail;
        if (kind is "SYN" or "SYNACK")
            _nextSequence[forward] = InitialSequence;
        if (kind == "SYN")
            _nextSequence.Remove(backward); // a new connection on the 4-tuple of an old one
        var sequence = _nextSequence.GetValueOrDefault(forward, InitialSequence);
        var acknowledgment = _nextSequence.GetValueOrDefault(backward);
        var advance = kind switch
        {
            "SYN" or "SYNACK" or "FIN" => 1u,
            "RST" => 0u,
            _ => (uint)e.Bytes.Length,
        };
        _nextSequence[forward] = sequence + advance;
        var tcp = new TcpPacket(e.Source.Port, e.Target.Port)
        {
            SequenceNumber = sequence,
            WindowSize = 65535,
            PayloadData = e.Bytes,
        };
        tcp.Synchronize = kind is "SYN" or "SYNACK";
        tcp.Finished = kind == "FIN";
        tcp.Reset = kind == "RST";
        tcp.Push = e.Bytes.Length > 0;
        tcp.Acknowledgment = kind != "SYN" && _nextSequence.ContainsKey(backward);
        tcp.AcknowledgmentNumber = tcp.Acknowledgment ? acknowledgment : 0;
        return tcp;
    }
}

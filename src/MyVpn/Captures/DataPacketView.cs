using System.Buffers.Binary;
using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Captures;

/// <summary>A UDP datagram of a capture seen as a MyVpn data packet (or found not to be one).</summary>
public readonly record struct DataPacketView(CapturedPacket Packet, bool ToServer, uint SessionId, ulong Counter)
{
    public NetEndpoint Server => ToServer ? Packet.Destination : Packet.Source;
    public NetEndpoint Client => ToServer ? Packet.Source : Packet.Destination;
    public bool IsKeepalive => Packet.Payload.Length == WireFormat.Overhead;

    /// <summary>
    /// True for a UDP datagram on a session port; <paramref name="reason"/> is null when it has the data
    /// packet's shape (IV 16 | ciphertext | tag 16, reserved IV bytes zero) and says what is wrong otherwise.
    /// When both ports lie in the session range (a client's ephemeral port can), the side whose address is
    /// in <paramref name="servers"/> is the server; failing that, the destination is.
    /// </summary>
    public static bool TryClassify(CapturedPacket packet, CaptureOptions options, out DataPacketView view, out string? reason,
        IReadOnlySet<IPv4Address>? servers = null)
    {
        view = default;
        reason = null;
        if (packet.Transport != CapturedTransport.Udp)
            return false;
        bool toServer;
        var toSessionPort = options.IsSessionPort(packet.Destination.Port);
        var fromSessionPort = options.IsSessionPort(packet.Source.Port);
        if (toSessionPort && fromSessionPort)
            toServer = servers is null || !servers.Contains(packet.Source.Address) || servers.Contains(packet.Destination.Address);
        else if (toSessionPort)
            toServer = true;
        else if (fromSessionPort)
            toServer = false;
        else
            return false;
        var payload = packet.Payload;
        if (payload.Length < WireFormat.Overhead)
            reason = $"{payload.Length} bytes, shorter than IV + tag ({WireFormat.Overhead})";
        else if (BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(12)) != 0)
            reason = "IV bytes 12-15 are not zero";
        view = reason is null
            ? new DataPacketView(packet, toServer, BinaryPrimitives.ReadUInt32BigEndian(payload), BinaryPrimitives.ReadUInt64BigEndian(payload.AsSpan(4)))
            : new DataPacketView(packet, toServer, 0, 0);
        return true;
    }
}

using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Captures;

/// <summary>
/// `myvpn pcap inspect`: finds handshakes (TCP, handshake port) and data packets (UDP, session ports)
/// in a capture, checks each data packet's shape and IV uniqueness, and summarises every session.
/// </summary>
public static class CaptureInspector
{
    public static InspectionReport Inspect(IEnumerable<CapturedPacket> packets, CaptureOptions options)
    {
        var report = new InspectionReport();
        var sessions = new Dictionary<(UdpEndpoint Server, uint Id), (SessionSummary Summary, HashSet<(bool, ulong)> Ivs)>();
        var foreign = new Dictionary<(UdpEndpoint, UdpEndpoint), ForeignFlow>();
        var streams = new Dictionary<(UdpEndpoint Client, UdpEndpoint Server), HandshakeStreams>();

        foreach (var packet in packets)
        {
            if (packet.Transport == Transport.Tcp)
            {
                CollectHandshake(packet, options, streams);
                continue;
            }
            if (!DataPacketView.TryClassify(packet, options, out var view, out var reason))
                continue;
            if (reason is not null)
            {
                var key = (packet.Source, packet.Destination);
                if (!foreign.TryGetValue(key, out var flow))
                    foreign[key] = flow = new ForeignFlow(packet.Source, packet.Destination, reason);
                flow.Datagrams++;
                continue;
            }
            var sessionKey = (view.Server, view.SessionId);
            if (!sessions.TryGetValue(sessionKey, out var entry))
            {
                entry = (new SessionSummary(view.SessionId, view.Server), []);
                sessions[sessionKey] = entry;
                report.Sessions.Add(entry.Summary);
            }
            var summary = entry.Summary;
            if (!summary.ClientEndpoints.Contains(view.Client))
                summary.ClientEndpoints.Add(view.Client);
            var direction = view.ToServer ? summary.ToServer : summary.ToClient;
            direction.Packets++;
            direction.Bytes += packet.Payload.Length;
            if (view.IsKeepalive)
                direction.Keepalives++;
            if (!entry.Ivs.Add((view.ToServer, view.Counter)))
                summary.RepeatedIvs++;
        }
        report.ForeignFlows.AddRange(foreign.Values);
        foreach (var ((client, server), stream) in streams)
            report.Handshakes.Add(stream.Summarise(client, server));
        return report;
    }

    private static void CollectHandshake(CapturedPacket packet, CaptureOptions options,
        Dictionary<(UdpEndpoint, UdpEndpoint), HandshakeStreams> streams)
    {
        bool toServer;
        if (packet.Destination.Port == options.HandshakePort)
            toServer = true;
        else if (packet.Source.Port == options.HandshakePort)
            toServer = false;
        else
            return;
        var key = toServer ? (packet.Source, packet.Destination) : (packet.Destination, packet.Source);
        if (!streams.TryGetValue(key, out var stream))
            streams[key] = stream = new HandshakeStreams();
        if (packet.Payload.Length > 0)
            (toServer ? stream.ToServer : stream.ToClient)[packet.TcpSequence] = packet.Payload;
    }

    /// <summary>The two byte streams of one handshake connection, segments keyed by sequence number (retransmissions collapse).</summary>
    private sealed class HandshakeStreams
    {
        public SortedDictionary<uint, byte[]> ToServer { get; } = [];
        public SortedDictionary<uint, byte[]> ToClient { get; } = [];

        public HandshakeSummary Summarise(UdpEndpoint client, UdpEndpoint server)
        {
            var messages = new List<string>();
            var error = Parse(ToServer, "client", messages) ?? Parse(ToClient, "server", messages);
            return new HandshakeSummary(client, server, messages, error);
        }

        private static string? Parse(SortedDictionary<uint, byte[]> segments, string side, List<string> messages)
        {
            var bytes = segments.Values.SelectMany(b => b).ToArray();
            ReadOnlySpan<byte> rest = bytes;
            var reader = new HandshakeReader();
            while (!rest.IsEmpty)
            {
                if (reader.TryRead(ref rest, out var type, out var frame, out var error))
                {
                    messages.Add($"{type}({frame.Length - HandshakeMessage.HeaderLength})");
                    continue;
                }
                return error == HandshakeError.None ? $"{side} sent an incomplete message" : $"{side} sent {error}";
            }
            return null;
        }
    }
}

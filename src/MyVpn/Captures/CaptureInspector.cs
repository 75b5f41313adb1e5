using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Captures;

/// <summary>
/// `myvpn pcap inspect`: finds handshakes (TCP, handshake port) and data packets (UDP, session ports)
/// in a capture, checks each data packet's shape and IV uniqueness, and summarises every session.
/// </summary>
public static class CaptureInspector
{
    public static InspectionReport Inspect(IEnumerable<CapturedPacket> capture, CaptureOptions options)
    {
        var report = new InspectionReport();
        var packets = CoalescedRuns.Split(capture, options, (_, datagrams) =>
        {
            report.CoalescedRuns++;
            report.CoalescedDatagrams += datagrams;
        }).ToList();
        var servers = ServerAddresses(packets, options);
        var sessions = new Dictionary<(NetEndpoint Server, uint Id), (SessionSummary Summary, HashSet<(bool, ulong)> Ivs)>();
        var foreign = new Dictionary<(NetEndpoint, NetEndpoint), ForeignFlow>();
        var streams = new Dictionary<(NetEndpoint Client, NetEndpoint Server), HandshakeStreams>();

        foreach (var packet in packets)
        {
            if (packet.Transport == CapturedTransport.Tcp)
            {
                CollectHandshake(packet, options, streams);
                continue;
            }
            if (!DataPacketView.TryClassify(packet, options, out var view, out var reason, servers))
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

    /// <summary>
    /// The addresses the capture shows acting as a server: receiving on the handshake port, or answering
    /// from a session port to a port outside the range. They settle the direction of a datagram whose two
    /// ports both lie in the session range.
    /// </summary>
    private static HashSet<IPv4Address> ServerAddresses(IReadOnlyList<CapturedPacket> packets, CaptureOptions options)
    {
        var servers = new HashSet<IPv4Address>();
        foreach (var packet in packets)
        {
            if (packet.Transport == CapturedTransport.Tcp && packet.Destination.Port == options.HandshakePort)
                servers.Add(packet.Destination.Address);
            else if (packet.Transport == CapturedTransport.Udp && options.IsSessionPort(packet.Source.Port) != options.IsSessionPort(packet.Destination.Port))
                servers.Add(options.IsSessionPort(packet.Source.Port) ? packet.Source.Address : packet.Destination.Address);
        }
        return servers;
    }

    private static void CollectHandshake(CapturedPacket packet, CaptureOptions options,
        Dictionary<(NetEndpoint, NetEndpoint), HandshakeStreams> streams)
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
            (toServer ? stream.ToServer : stream.ToClient)[packet.TcpSequence] = (packet.Number, packet.Payload);
    }

    /// <summary>The two byte streams of one handshake connection, segments keyed by sequence number (retransmissions collapse).</summary>
    private sealed class HandshakeStreams
    {
        public SortedDictionary<uint, (int Number, byte[] Bytes)> ToServer { get; } = [];
        public SortedDictionary<uint, (int Number, byte[] Bytes)> ToClient { get; } = [];

        /// <summary>The messages of both directions in the order they completed in the capture.</summary>
        public HandshakeSummary Summarise(NetEndpoint client, NetEndpoint server)
        {
            var messages = new List<(int Number, string Name)>();
            var error = Parse(ToServer, "client", messages) ?? Parse(ToClient, "server", messages);
            return new HandshakeSummary(client, server, messages.OrderBy(m => m.Number).Select(m => m.Name).ToList(), error);
        }

        private static string? Parse(SortedDictionary<uint, (int Number, byte[] Bytes)> segments, string side, List<(int, string)> messages)
        {
            var reader = new HandshakeReader();
            foreach (var (number, bytes) in segments.Values)
            {
                ReadOnlySpan<byte> rest = bytes;
                while (!rest.IsEmpty)
                {
                    if (reader.TryRead(ref rest, out var type, out var frame, out var error))
                        messages.Add((number, $"{type}({frame.Length - HandshakeMessage.HeaderLength})"));
                    else if (error != HandshakeError.None)
                        return $"{side} sent {error}";
                }
            }
            return reader.HasPartialFrame ? $"{side} sent an incomplete message" : null;
        }
    }
}

using System.Buffers.Binary;

namespace MyVpn.Tests.Unit.Support;

/// <summary>
/// Numbered packets of numbered flows, and a thread-safe record of which arrived where, in what
/// order, for tests that run the engines on several threads. A flow packet's payload is a marker,
/// the flow number and the packet's sequence number (big-endian), padded to a realistic size.
/// </summary>
public sealed class FlowRecorder
{
    private const uint Marker = 0x464C4F57; // "FLOW"

    private readonly object _gate = new();
    private readonly Dictionary<int, List<int>> _flows = [];
    private readonly List<byte[]> _others = [];

    public static byte[] Packet(string source, string destination, int flow, int sequence, int payloadLength = 200)
    {
        var payload = new byte[Math.Max(12, payloadLength)];
        BinaryPrimitives.WriteUInt32BigEndian(payload, Marker);
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(4), flow);
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(8), sequence);
        return Packets.IPv4(source, destination, payload);
    }

    /// <summary>Records one delivered packet (from any thread) and wakes waiters.</summary>
    public void Record(byte[] packet)
    {
        lock (_gate)
        {
            var payload = packet.AsSpan(20);
            if (payload.Length >= 12 && BinaryPrimitives.ReadUInt32BigEndian(payload) == Marker)
            {
                var flow = BinaryPrimitives.ReadInt32BigEndian(payload[4..]);
                if (!_flows.TryGetValue(flow, out var sequences))
                    _flows[flow] = sequences = [];
                sequences.Add(BinaryPrimitives.ReadInt32BigEndian(payload[8..]));
            }
            else
            {
                _others.Add(packet);
            }
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>The sequence numbers of <paramref name="flow"/> in arrival order.</summary>
    public int[] Sequences(int flow)
    {
        lock (_gate)
            return _flows.TryGetValue(flow, out var s) ? [.. s] : [];
    }

    public int Count(int flow)
    {
        lock (_gate)
            return _flows.TryGetValue(flow, out var s) ? s.Count : 0;
    }

    /// <summary>The flows that delivered anything here.</summary>
    public int[] FlowsSeen()
    {
        lock (_gate)
            return [.. _flows.Keys.Order()];
    }

    /// <summary>
    /// Waits until <paramref name="flow"/> has delivered <paramref name="count"/> packets; false if it
    /// made no progress for <paramref name="stall"/> (a hang guard, not a timing assertion).
    /// </summary>
    public bool WaitFor(int flow, int count, TimeSpan stall)
    {
        lock (_gate)
        {
            while ((_flows.TryGetValue(flow, out var s) ? s.Count : 0) < count)
            {
                if (!Monitor.Wait(_gate, stall))
                    return false;
            }
            return true;
        }
    }
}

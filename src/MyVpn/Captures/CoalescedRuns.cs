using System.Buffers.Binary;
using MyVpn.Protocol;

namespace MyVpn.Captures;

/// <summary>
/// Splits UDP payloads that hold a run of data packets back into the datagrams. With the kernel offloads
/// on, a daemon sends a run of equal-size datagrams as one UDP GSO buffer and receives runs coalesced by
/// GRO; a capture taken where the buffer is not cut up (on the VPN host, on veth or bridge paths) shows
/// the run as one oversized datagram. The pcap does not record the segment size, so it is found from the
/// bytes: the first size <c>s</c> at which every <c>s</c> bytes a data packet header of the same session
/// starts again (same session id, reserved bytes zero, a counter above the previous one), the last piece
/// no longer than <c>s</c>. A single datagram matches that by chance with odds of about 2^-64 per
/// candidate size; a wrong split would show up as authentication failures in <c>decrypt</c>.
/// </summary>
public static class CoalescedRuns
{
    /// <summary>
    /// The packets with every run split into its datagrams (numbered and timed as the captured packet);
    /// everything else passes unchanged. <paramref name="onRun"/> hears of each run and its datagram count.
    /// </summary>
    public static IEnumerable<CapturedPacket> Split(IEnumerable<CapturedPacket> packets, CaptureOptions options,
        Action<CapturedPacket, int>? onRun = null)
    {
        foreach (var packet in packets)
        {
            var size = packet.Transport == CapturedTransport.Udp
                && (options.IsSessionPort(packet.Source.Port) || options.IsSessionPort(packet.Destination.Port))
                ? SegmentSize(packet.Payload)
                : 0;
            if (size == 0)
            {
                yield return packet;
                continue;
            }
            var payload = packet.Payload;
            onRun?.Invoke(packet, (payload.Length + size - 1) / size);
            for (var offset = 0; offset < payload.Length; offset += size)
                yield return packet with { Payload = payload[offset..Math.Min(offset + size, payload.Length)] };
        }
    }

    /// <summary>The segment size of a run, or 0 when <paramref name="payload"/> is one datagram (or not MyVpn at all).</summary>
    public static int SegmentSize(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 2 * WireFormat.Overhead || !IsHeader(payload, out var session, out var counter))
            return 0;
        for (var size = WireFormat.Overhead; size <= payload.Length - WireFormat.Overhead; size++)
        {
            if (IsRun(payload, size, session, counter))
                return size;
        }
        return 0;
    }

    private static bool IsRun(ReadOnlySpan<byte> payload, int size, uint session, ulong counter)
    {
        var last = counter;
        for (var offset = size; offset < payload.Length; offset += size)
        {
            var piece = payload[offset..];
            if (piece.Length < WireFormat.Overhead || !IsHeader(piece, out var id, out var next) || id != session || next <= last)
                return false;
            last = next;
        }
        return true;
    }

    private static bool IsHeader(ReadOnlySpan<byte> bytes, out uint session, out ulong counter)
    {
        session = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        counter = BinaryPrimitives.ReadUInt64BigEndian(bytes[4..]);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]) == 0;
    }
}

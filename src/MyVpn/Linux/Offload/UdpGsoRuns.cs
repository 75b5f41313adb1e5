using MyVpn.Io;

namespace MyVpn.Linux.Offload;

/// <summary>
/// Groups datagrams for UDP GSO (<c>UDP_SEGMENT</c>): a run is consecutive datagrams to the same
/// endpoint with the same length, the last of which may be shorter; the kernel sends it as one
/// message and splits it into the datagrams again. Within the kernel's limits: at most
/// <see cref="MaxSegments"/> segments and <see cref="MaxBytes"/> bytes of UDP payload in all.
/// </summary>
internal static class UdpGsoRuns
{
    /// <summary>The kernel's UDP_MAX_SEGMENTS (64 on older kernels; more are refused with EINVAL).</summary>
    public const int MaxSegments = 64;

    /// <summary>The largest UDP payload of one IPv4 message: 65535 - 20 (IP) - 8 (UDP).</summary>
    public const int MaxBytes = ushort.MaxValue - 20 - 8;

    /// <summary>How many datagrams from <paramref name="start"/> on go as one message (at least 1).</summary>
    public static int RunLength(ReadOnlySpan<PacketBuffer> datagrams, int start, int maxSegments = MaxSegments)
    {
        var first = datagrams[start];
        var size = first.Length;
        if (size <= 0)
            return 1;
        var total = size;
        var count = 1;
        for (var i = start + 1; i < datagrams.Length && count < maxSegments; i++)
        {
            var next = datagrams[i];
            if (next.Length > size || next.Length <= 0 || total + next.Length > MaxBytes || next.Endpoint != first.Endpoint)
                break;
            total += next.Length;
            count++;
            if (next.Length < size)
                break; // only the last segment may be shorter
        }
        return count;
    }
}

using System.Buffers.Binary;

namespace MyVpn.Net;

/// <summary>
/// The Internet checksum (RFC 1071), for the core (the Linux offload code has its own, tuned for bulk sums) of IPv4, ICMP, TCP and ICMPv6: the one's complement of the one's
/// complement sum of 16-bit big-endian words, and its incremental update (RFC 1624) for one changed word.
/// </summary>
public static class PacketChecksum
{
    /// <summary>Adds <paramref name="bytes"/> to a running sum (an odd last byte is padded with zero).</summary>
    public static uint Add(uint sum, ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        for (; i + 1 < bytes.Length; i += 2)
            sum += BinaryPrimitives.ReadUInt16BigEndian(bytes[i..]);
        if (i < bytes.Length)
            sum += (uint)bytes[i] << 8;
        return Fold(sum);
    }

    /// <summary>The checksum to store for a running sum: folded to 16 bits and complemented.</summary>
    public static ushort Complete(uint sum) => (ushort)~Fold(sum);

    /// <summary>The checksum of <paramref name="bytes"/> alone.</summary>
    public static ushort Of(ReadOnlySpan<byte> bytes) => Complete(Add(0, bytes));

    /// <summary>
    /// RFC 1624 eqn. 3: the checksum after the 16-bit word <paramref name="old"/> it covers became
    /// <paramref name="replacement"/>: HC' = ~(~HC + ~m + m').
    /// </summary>
    public static ushort Adjust(ushort checksum, ushort old, ushort replacement) =>
        (ushort)~Fold((uint)(ushort)~checksum + (ushort)~old + replacement);

    private static uint Fold(uint sum)
    {
        while (sum > 0xFFFF)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return sum;
    }
}

using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace MyVpn.Linux.Offload;

/// <summary>
/// The Internet checksum (RFC 1071): the ones' complement sum of 16-bit big-endian words. Sums are
/// carried as <see cref="uint"/> values in network order, unfolded, so they can be chained
/// (pseudo-header, header, payload) and folded once at the end.
/// </summary>
internal static class InternetChecksum
{
    /// <summary>
    /// Adds <paramref name="data"/> to <paramref name="initial"/>. The data must start at an even
    /// offset of what is being checksummed (an odd last byte is padded with zero, as RFC 1071 says).
    /// </summary>
    public static uint Sum(ReadOnlySpan<byte> data, uint initial = 0)
    {
        // RFC 1071 §2(B): the sum is byte-order independent, so add native-order 32-bit words into a
        // 64-bit accumulator and swap once at the end.
        ulong sum = 0;
        var words = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (var word in words)
            sum += (word & 0xFFFF_FFFF) + (word >> 32);
        var i = words.Length * 8;
        if (data.Length - i >= 4)
        {
            sum += MemoryMarshal.Read<uint>(data[i..]);
            i += 4;
        }
        if (data.Length - i >= 2)
        {
            sum += MemoryMarshal.Read<ushort>(data[i..]);
            i += 2;
        }
        if (i < data.Length)
            sum += BitConverter.IsLittleEndian ? data[i] : (uint)data[i] << 8;
        while (sum >> 16 != 0)
            sum = (sum & 0xFFFF) + (sum >> 16);
        var folded = (ushort)sum;
        if (BitConverter.IsLittleEndian)
            folded = BinaryPrimitives.ReverseEndianness(folded);
        return initial + folded;
    }

    /// <summary>The sum of the IPv4 pseudo-header (addresses as in the packet, protocol, upper-layer length).</summary>
    public static uint PseudoHeaderSum(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, byte protocol, int length) =>
        Sum(source[..4], Sum(destination[..4], (uint)protocol + (uint)length));

    /// <summary>Folds a sum to 16 bits (end-around carry), without complementing it.</summary>
    public static ushort Fold(uint sum)
    {
        while (sum >> 16 != 0)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)sum;
    }

    /// <summary>The checksum field's value for data whose sum (with the field zeroed) is <paramref name="sum"/>.</summary>
    public static ushort Complement(uint sum) => (ushort)~Fold(sum);

    /// <summary>True when <paramref name="data"/> (including its checksum field) sums to all ones.</summary>
    public static bool IsValid(ReadOnlySpan<byte> data, uint initial = 0) => Fold(Sum(data, initial)) == 0xFFFF;

    /// <summary>Recomputes an IPv4 header's checksum in place.</summary>
    public static void UpdateIPv4Header(Span<byte> header)
    {
        BinaryPrimitives.WriteUInt16BigEndian(header[10..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(header[10..], Complement(Sum(header)));
    }

    /// <summary>
    /// Completes a partial checksum (virtio NEEDS_CSUM, Linux CHECKSUM_PARTIAL): the field at
    /// <paramref name="start"/> + <paramref name="offset"/> holds the pseudo-header sum; the checksum of
    /// everything from <paramref name="start"/> to the end goes in its place. False (nothing written) when
    /// the positions do not fit the packet.
    /// </summary>
    public static bool CompletePartial(Span<byte> packet, int start, int offset)
    {
        if (start < 0 || offset < 0 || (long)start + offset + 2 > packet.Length || (start & 1) != 0)
            return false;
        var checksum = Complement(Sum(packet[start..]));
        // as the kernel's skb_checksum_help: a computed 0 goes out as 0xFFFF (the same value in ones'
        // complement, and UDP's "no checksum" is 0)
        BinaryPrimitives.WriteUInt16BigEndian(packet[(start + offset)..], checksum == 0 ? (ushort)0xFFFF : checksum);
        return true;
    }
}

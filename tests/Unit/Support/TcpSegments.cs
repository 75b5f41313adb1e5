using System.Buffers.Binary;
using MyVpn.Net;

namespace MyVpn.Tests.Unit.Support;

/// <summary>
/// Builds TCP segments in IPv4 or IPv6 packets with given options and a correct checksum, and checks
/// checksums the slow way (a plain RFC 1071 sum over the pseudo-header and segment), independent of the code under test.
/// </summary>
public static class TcpSegments
{
    public const byte Syn = 0x02;
    public const byte Ack = 0x10;

    /// <summary>The MSS option (kind 2, length 4) announcing <paramref name="mss"/>.</summary>
    public static byte[] MssOption(ushort mss) => [2, 4, (byte)(mss >> 8), (byte)mss];

    /// <summary>
    /// A segment from port 40000 to 80, from 10.0.0.2 to 10.0.0.3 unless told (IPv6: fd00::2 to fd00::3),
    /// with DF set, options padded with NOPs to a word.
    /// </summary>
    public static byte[] Build(int version, byte flags, byte[] options, int payload = 0, string source = "10.0.0.2", string destination = "10.0.0.3")
    {
        var padded = (options.Length + 3) / 4 * 4;
        var tcpLength = 20 + padded + payload;
        var ipLength = version == 4 ? 20 : 40;
        var packet = new byte[ipLength + tcpLength];
        if (version == 4)
        {
            packet[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
            packet[6] = 0x40; // DF
            packet[8] = 64;
            packet[9] = 6;
            IPv4Address.Parse(source).Write(packet.AsSpan(12));
            IPv4Address.Parse(destination).Write(packet.AsSpan(16));
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), Checksum(packet.AsSpan(0, 20)));
        }
        else
        {
            packet[0] = 0x60;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)tcpLength);
            packet[6] = 6;
            packet[7] = 64;
            packet[8] = 0xFD;
            packet[23] = 2;
            packet[24] = 0xFD;
            packet[39] = 3;
        }
        var tcp = packet.AsSpan(ipLength);
        BinaryPrimitives.WriteUInt16BigEndian(tcp, 40000);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], 80);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], 0x01020304);
        tcp[12] = (byte)((20 + padded) / 4 << 4);
        tcp[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], 64240);
        options.CopyTo(tcp[20..]);
        tcp.Slice(20 + options.Length, padded - options.Length).Fill(1); // NOP
        for (var i = 0; i < payload; i++)
            tcp[20 + padded + i] = (byte)(i * 7);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], Checksum(PseudoAndSegment(packet)));
        return packet;
    }

    /// <summary>True when the TCP checksum of <paramref name="packet"/> verifies.</summary>
    public static bool ChecksumValid(byte[] packet) => Checksum(PseudoAndSegment(packet)) == 0;

    /// <summary>The MSS option's value, or null when there is none.</summary>
    public static int? Mss(byte[] packet)
    {
        var tcp = packet[0] >> 4 == 4 ? (packet[0] & 0x0F) * 4 : 40;
        var end = tcp + (packet[tcp + 12] >> 4) * 4;
        for (var at = tcp + 20; at < end;)
        {
            if (packet[at] == 0)
                return null;
            if (packet[at] == 1)
            {
                at++;
                continue;
            }
            if (packet[at] == 2)
                return packet[at + 2] << 8 | packet[at + 3];
            at += packet[at + 1];
        }
        return null;
    }

    /// <summary>The ones' complement of the ones' complement sum, computed bit by bit the long way.</summary>
    public static ushort Checksum(ReadOnlySpan<byte> bytes)
    {
        long sum = 0;
        for (var i = 0; i < bytes.Length; i += 2)
            sum += (bytes[i] << 8) + (i + 1 < bytes.Length ? bytes[i + 1] : 0);
        while (sum >> 16 != 0)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }

    /// <summary>The pseudo-header (RFC 793 / RFC 8200 §8.1) followed by the segment as it is.</summary>
    private static byte[] PseudoAndSegment(byte[] packet)
    {
        var v4 = packet[0] >> 4 == 4;
        var ipLength = v4 ? (packet[0] & 0x0F) * 4 : 40;
        var segment = packet.AsSpan(ipLength);
        var pseudo = new List<byte>();
        if (v4)
        {
            pseudo.AddRange(packet.AsSpan(12, 8).ToArray());
            pseudo.AddRange([0, 6, (byte)(segment.Length >> 8), (byte)segment.Length]);
        }
        else
        {
            pseudo.AddRange(packet.AsSpan(8, 32).ToArray());
            pseudo.AddRange([0, 0, (byte)(segment.Length >> 8), (byte)segment.Length, 0, 0, 0, 6]);
        }
        pseudo.AddRange(segment.ToArray());
        return [.. pseudo];
    }
}

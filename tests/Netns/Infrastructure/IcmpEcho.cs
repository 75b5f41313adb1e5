using System.Buffers.Binary;

namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>Answers an IPv4 ICMP echo request by hand (RFC 792): what a peer behind a tun device would send back.</summary>
internal static class IcmpEcho
{
    /// <summary>The echo reply to <paramref name="packet"/>, or null if it is not an IPv4 echo request.</summary>
    public static byte[]? ReplyTo(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 28 || packet[0] >> 4 != 4 || packet[9] != 1)
            return null;
        var headerLength = (packet[0] & 0xF) * 4;
        if (packet.Length < headerLength + 8 || packet[headerLength] != 8)
            return null;
        var reply = packet.ToArray();
        packet[12..16].CopyTo(reply.AsSpan(16)); // swap source and destination: the header checksum stays valid
        packet[16..20].CopyTo(reply.AsSpan(12));
        var icmp = reply.AsSpan(headerLength);
        icmp[0] = 0; // echo reply
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], Checksum(icmp));
        return reply;
    }

    private static ushort Checksum(ReadOnlySpan<byte> bytes)
    {
        uint sum = 0;
        for (var i = 0; i + 1 < bytes.Length; i += 2)
            sum += BinaryPrimitives.ReadUInt16BigEndian(bytes[i..]);
        if (bytes.Length % 2 == 1)
            sum += (uint)bytes[^1] << 8;
        while (sum > 0xFFFF)
            sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }
}

using System.Buffers.Binary;
using MyVpn.Net;

namespace MyVpn.Tests.Unit.Support;

/// <summary>Builds small IPv4 and IPv6 packets for engine tests (the header fields the VPN reads, a fixed payload).</summary>
public static class Packets
{
    public static readonly byte[] Pattern = "MYVPN-PLAINTEXT-PATTERN-0123456789"u8.ToArray();

    public static byte[] IPv4(string source, string destination, byte[]? payload = null, byte protocol = 1)
    {
        payload ??= Pattern;
        var packet = new byte[20 + payload.Length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[8] = 64;
        packet[9] = protocol;
        IPv4Address.Parse(source).Write(packet.AsSpan(12));
        IPv4Address.Parse(destination).Write(packet.AsSpan(16));
        payload.CopyTo(packet, 20);
        return packet;
    }

    /// <summary>An IPv6 packet: fixed header (payload length, next header, hop limit 64) and the payload.</summary>
    public static byte[] IPv6(string source, string destination, byte[]? payload = null, byte nextHeader = 58)
    {
        payload ??= Pattern;
        var packet = new byte[40 + payload.Length];
        packet[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), (ushort)payload.Length);
        packet[6] = nextHeader;
        packet[7] = 64;
        IPv6Address.Parse(source).Write(packet.AsSpan(8));
        IPv6Address.Parse(destination).Write(packet.AsSpan(24));
        payload.CopyTo(packet, 40);
        return packet;
    }
}

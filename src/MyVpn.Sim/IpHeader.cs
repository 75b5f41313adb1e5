using MyVpn.Net;

namespace MyVpn.Sim;

/// <summary>The few IPv4 header fields the host stacks route on, read without allocating.</summary>
internal readonly record struct IpHeader(IPv4Address Source, IPv4Address Target, byte Protocol)
{
    public const byte Icmp = 1;
    public const byte Udp = 17;

    /// <summary>False unless the bytes start with a well-formed IPv4 header whose total length fits.</summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out IpHeader header)
    {
        header = default;
        if (packet.Length < 20 || packet[0] >> 4 != 4)
            return false;
        var headerLength = (packet[0] & 0x0F) * 4;
        var totalLength = packet[2] << 8 | packet[3];
        if (headerLength < 20 || totalLength < headerLength || totalLength > packet.Length)
            return false;
        header = new IpHeader(IPv4Address.Read(packet[12..]), IPv4Address.Read(packet[16..]), packet[9]);
        return true;
    }
}

using MyVpn.Net;
using PacketDotNet;
using IPv4Packet = PacketDotNet.IPv4Packet;
using PacketDotNet.Utils;

namespace MyVpn.Sim;

/// <summary>
/// The server host's MASQUERADE: packets forwarded out to the internet leave with the host's public
/// address as source and a mapped ICMP id or UDP port; replies to a mapping are mapped back to the
/// inside address and id/port. Anything else (TCP, other ICMP) is not forwarded.
/// </summary>
internal sealed class SimNat(Func<IPv4Address> publicAddress)
{
    private const ushort FirstExternal = 1024;

    private readonly Dictionary<(IPv4Address Inside, ushort Id, byte Protocol), ushort> _outbound = [];
    private readonly Dictionary<(ushort External, byte Protocol), (IPv4Address Inside, ushort Id)> _inbound = [];
    private ushort _nextExternal = FirstExternal;

    /// <summary>Mappings currently held.</summary>
    public int Count => _outbound.Count;

    /// <summary>The packet as it leaves the public interface, or null when it cannot be translated.</summary>
    public byte[]? Outbound(byte[] packet)
    {
        if (!IpHeader.TryRead(packet, out var header))
            return null;
        var ip = new IPv4Packet(new ByteArraySegment(packet));
        switch (header.Protocol)
        {
            case IpHeader.Icmp when ip.Extract<IcmpV4Packet>() is { TypeCode: IcmpV4TypeCode.EchoRequest } icmp:
                icmp.Id = Map(header.Source, icmp.Id, header.Protocol);
                icmp.UpdateIcmpChecksum();
                break;
            case IpHeader.Udp when ip.Extract<UdpPacket>() is { } udp:
                udp.SourcePort = Map(header.Source, udp.SourcePort, header.Protocol);
                ip.SourceAddress = publicAddress().ToIPAddress();
                udp.UpdateUdpChecksum();
                break;
            default:
                return null;
        }
        ip.SourceAddress = publicAddress().ToIPAddress();
        ip.UpdateIPChecksum();
        return ip.Bytes;
    }

    /// <summary>A reply arriving at the public address, mapped back inside; null when no mapping matches.</summary>
    public byte[]? Inbound(byte[] packet)
    {
        if (!IpHeader.TryRead(packet, out var header))
            return null;
        var ip = new IPv4Packet(new ByteArraySegment(packet));
        switch (header.Protocol)
        {
            case IpHeader.Icmp when ip.Extract<IcmpV4Packet>() is { TypeCode: IcmpV4TypeCode.EchoReply } icmp
                                    && _inbound.TryGetValue((icmp.Id, header.Protocol), out var inside):
                icmp.Id = inside.Id;
                icmp.UpdateIcmpChecksum();
                ip.DestinationAddress = inside.Inside.ToIPAddress();
                break;
            case IpHeader.Udp when ip.Extract<UdpPacket>() is { } udp
                                   && _inbound.TryGetValue((udp.DestinationPort, header.Protocol), out var inside):
                udp.DestinationPort = inside.Id;
                ip.DestinationAddress = inside.Inside.ToIPAddress();
                udp.UpdateUdpChecksum();
                break;
            default:
                return null;
        }
        ip.UpdateIPChecksum();
        return ip.Bytes;
    }

    private ushort Map(IPv4Address inside, ushort id, byte protocol)
    {
        if (_outbound.TryGetValue((inside, id, protocol), out var external))
            return external;
        for (var tries = 0; tries <= ushort.MaxValue; tries++)
        {
            var candidate = _nextExternal;
            _nextExternal = _nextExternal == ushort.MaxValue ? FirstExternal : (ushort)(_nextExternal + 1);
            if (_inbound.ContainsKey((candidate, protocol)))
                continue;
            _outbound[(inside, id, protocol)] = candidate;
            _inbound[(candidate, protocol)] = (inside, id);
            return candidate;
        }
        throw new InvalidOperationException("NAT mapping table is full");
    }
}

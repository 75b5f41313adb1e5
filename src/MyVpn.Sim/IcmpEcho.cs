using MyVpn.Net;
using PacketDotNet;
using IPv4Packet = PacketDotNet.IPv4Packet;
using PacketDotNet.Utils;

namespace MyVpn.Sim;

/// <summary>An ICMP echo request or reply inside an IPv4 packet, built and parsed with PacketDotNet.</summary>
internal sealed record IcmpEcho(IPv4Address Source, IPv4Address Target, bool IsReply, ushort Id, ushort Sequence, byte[] Payload)
{
    public byte[] ToPacket()
    {
        var icmp = new IcmpV4Packet(new ByteArraySegment(new byte[8 + Payload.Length]))
        {
            TypeCode = IsReply ? IcmpV4TypeCode.EchoReply : IcmpV4TypeCode.EchoRequest,
            Id = Id,
            Sequence = Sequence,
            Data = Payload,
        };
        icmp.UpdateIcmpChecksum();
        var ip = new IPv4Packet(Source.ToIPAddress(), Target.ToIPAddress()) { PayloadPacket = icmp, TimeToLive = 64 };
        ip.UpdateCalculatedValues();
        ip.UpdateIPChecksum();
        return ip.Bytes;
    }

    /// <summary>The reply a host sends to this request: addresses swapped, same id, sequence and payload.</summary>
    public IcmpEcho Reply() => new(Target, Source, IsReply: true, Id, Sequence, Payload);

    /// <summary>Parses an echo request or reply with valid checksums; false for anything else.</summary>
    public static bool TryParse(byte[] packet, out IcmpEcho echo)
    {
        echo = null!;
        if (!IpHeader.TryRead(packet, out var header) || header.Protocol != IpHeader.Icmp)
            return false;
        var ip = new IPv4Packet(new ByteArraySegment(packet));
        var icmp = ip.Extract<IcmpV4Packet>();
        if (icmp is null || !ip.ValidIPChecksum || !icmp.ValidIcmpChecksum)
            return false;
        bool isReply;
        if (icmp.TypeCode == IcmpV4TypeCode.EchoRequest) isReply = false;
        else if (icmp.TypeCode == IcmpV4TypeCode.EchoReply) isReply = true;
        else return false;
        echo = new IcmpEcho(header.Source, header.Target, isReply, icmp.Id, icmp.Sequence, icmp.Data);
        return true;
    }
}

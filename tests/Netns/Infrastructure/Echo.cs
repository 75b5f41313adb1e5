using PacketDotNet;

namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>One ICMP echo as seen inside the tunnel, every field that identifies it.</summary>
internal sealed record Echo(IcmpV4TypeCode Type, ushort Id, ushort Sequence, string Source, string Destination, string Payload)
{
    public override string ToString() => $"{Type} id {Id:x4} seq {Sequence} {Source} -> {Destination} '{Payload}'";
}

using MyVpn.Io;
using MyVpn.Net;
using MyVpn.Protocol;

namespace MyVpn.Tunnel;

/// <summary>
/// What both engines do with an inner packet larger than the tunnel toward its destination carries: it is
/// dropped when it may not be fragmented (<see cref="IcmpTooBig.DontFragment"/>) and, unless it is itself an ICMP
/// error or the rate limit says no, turned in place into the ICMP "fragmentation needed" / ICMPv6 "packet too big" the caller sends back to its source.
/// </summary>
internal sealed class TooBigAnswers(TimeProvider time)
{
    /// <summary>ICMP answers per second, all destinations together, and the burst allowed above that rate.</summary>
    public const int PerSecond = 20;

    private readonly TokenBucket _limit = new(PerSecond, PerSecond, time.TimestampFrequency, time.GetTimestamp());

    /// <summary>
    /// Rewrites <paramref name="packet"/> (its bytes at <c>Offset</c>, <c>Length</c> long) into the answer and
    /// returns <see cref="DropReason.PacketTooBig"/>, or leaves it and returns
    /// <see cref="DropReason.PacketTooBigUnanswered"/>. Either way the caller counts the reason; for an answer
    /// it writes the packet, now the answer, back toward the source.
    /// </summary>
    /// <param name="router">The IPv4 source of the answer: the tunnel's far end as the sender sees it.</param>
    public DropReason Answer(PacketBuffer packet, int mtu, IPv4Address router, long now)
    {
        var span = packet.Span;
        var version = IPv4Header.VersionOf(span);
        if (packet.Data.Length - packet.Offset < IcmpTooBig.AnswerLength(version, packet.Length)
            || !IcmpTooBig.Answerable(span) || !_limit.TryTake(now))
            return DropReason.PacketTooBigUnanswered;
        var writable = packet.Writable;
        packet.Length = version == 4
            ? IcmpTooBig.WriteIPv4(writable, packet.Length, router, mtu)
            : IcmpTooBig.WriteIPv6(writable, packet.Length, mtu);
        return DropReason.PacketTooBig;
    }
}

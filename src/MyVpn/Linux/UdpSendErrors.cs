using MyVpn.Linux.Interop;
using MyVpn.Protocol;

namespace MyVpn.Linux;

/// <summary>What a failed UDP send (<c>sendmmsg</c>, <c>sendto</c>) means: the drop reason of its errno.</summary>
internal static class UdpSendErrors
{
    /// <summary>
    /// The drop reason of <paramref name="errno"/>: EAGAIN is the socket's send buffer full, ENOBUFS and ENOMEM
    /// the kernel out of room, EMSGSIZE a datagram larger than the socket sends, EPERM and EACCES an output
    /// firewall rule (nftables' drop), ECONNREFUSED an earlier ICMP port unreachable, EHOSTUNREACH and its kin
    /// no route; anything else is <see cref="DropReason.SendFailed"/>.
    /// </summary>
    public static DropReason ReasonFor(int errno) => errno switch
    {
        Errno.EAGAIN => DropReason.SendBufferFull,
        Errno.ENOBUFS or Errno.ENOMEM => DropReason.SendNoBuffers,
        Errno.EMSGSIZE => DropReason.SendTooBig,
        Errno.EPERM or Errno.EACCES or Errno.ECONNREFUSED => DropReason.SendRefused,
        Errno.EHOSTUNREACH or Errno.ENETUNREACH or Errno.ENETDOWN or Errno.EHOSTDOWN or Errno.EADDRNOTAVAIL => DropReason.SendUnreachable,
        _ => DropReason.SendFailed,
    };

    /// <summary>
    /// Whether <paramref name="reason"/> is a state of the socket or the kernel rather than of one datagram (its
    /// size, its destination): the datagrams after it would fail alike, so a send drops them all at once
    /// instead of trying each.
    /// </summary>
    public static bool RefusesTheRest(DropReason reason) => reason is DropReason.SendBufferFull or DropReason.SendNoBuffers;
}

using MyVpn.Io;
using MyVpn.Linux.Interop;

namespace MyVpn.Linux;

/// <summary>
/// How <see cref="LinuxUdpTransport"/> sends a batch of prepared messages and what it does when the kernel
/// refuses some. <c>sendmmsg</c> sends messages in order and stops at the first that fails: it returns the count
/// sent before it (the error itself is lost), or -1 with errno when the very first failed. So:
/// <list type="bullet">
/// <item>A partial count: the rest goes again at once, in one more call (the one that learns the error).</item>
/// <item>EINTR: the same call again.</item>
/// <item>EAGAIN (send buffer full) or ENOBUFS/ENOMEM: every message left is dropped under that reason; the
/// socket or the kernel is out of room, and trying each of the rest would only fail again, a call each.</item>
/// <item>Any other error (EMSGSIZE, ECONNREFUSED, EPERM, EHOSTUNREACH…) belongs to the first message left: unless
/// the sender can send it another way (<see cref="IMessageSender.SendOtherwise"/>), it is dropped under its reason
/// (<see cref="UdpSendErrors.ReasonFor"/>) and the rest go on.</item>
/// </list>
/// Nothing is thrown; every datagram ends up in the result as sent or as dropped for one reason.
/// </summary>
internal static class UdpSendLoop
{
    /// <summary>Sends messages 0 to <paramref name="messages"/> - 1 through <paramref name="sender"/>, adding the outcome to <paramref name="result"/>.</summary>
    public static void Run<TSender>(ref TSender sender, int messages, ref SendResult result)
        where TSender : IMessageSender, allows ref struct
    {
        var done = 0;
        while (done < messages)
        {
            var n = sender.Send(done, messages - done, out var errno);
            if (n > 0)
            {
                for (var m = done; m < done + n; m++)
                    result.Sent += sender.Datagrams(m);
                done += n;
                continue;
            }
            if (n < 0 && errno == Errno.EINTR)
                continue;
            var reason = n < 0 ? UdpSendErrors.ReasonFor(errno) : Protocol.DropReason.SendFailed;
            if (UdpSendErrors.RefusesTheRest(reason))
            {
                for (var m = done; m < messages; m++)
                    result.Drop(reason, sender.Datagrams(m));
                return;
            }
            if (!sender.SendOtherwise(done, errno, ref result))
                result.Drop(reason, sender.Datagrams(done));
            done++;
        }
    }
}

using MyVpn.Linux.Interop;
using MyVpn.Protocol;

namespace MyVpn.Linux;

/// <summary>
/// The tun device's syscall boundary: which errno of read(2) or write(2) means what (<see cref="TunError"/>),
/// and which drop a failed write counts. Pure, so a unit test pins every error; <see cref="LinuxTunDevice"/> acts on it.
/// </summary>
internal static class TunErrors
{
    /// <summary>What <paramref name="errno"/> from read(2) or readv(2) on the tun descriptor means.</summary>
    public static TunError OfRead(int errno) => errno switch
    {
        Errno.EINTR => TunError.Interrupted,
        Errno.EAGAIN => TunError.Empty,
        Errno.ENOBUFS or Errno.ENOMEM => TunError.QueueFull,
        Errno.EINVAL or Errno.EMSGSIZE or Errno.EFAULT => TunError.Rejected,
        Errno.EIO or Errno.ENETDOWN => TunError.Down,
        // a read that fails in a way we do not know would fail again at once: stop rather than spin
        _ => TunError.Gone,
    };

    /// <summary>What <paramref name="errno"/> from write(2) or writev(2) on the tun descriptor means.</summary>
    public static TunError OfWrite(int errno) => errno switch
    {
        Errno.EINTR => TunError.Interrupted,
        Errno.EAGAIN or Errno.ENOBUFS or Errno.ENOMEM => TunError.QueueFull,
        Errno.EIO or Errno.ENETDOWN => TunError.Down,
        Errno.EBADFD or Errno.EBADF or Errno.ENODEV or Errno.ENXIO => TunError.Gone,
        // EINVAL, EMSGSIZE, EFAULT, and anything else: this packet is lost, the next one is tried
        _ => TunError.Rejected,
    };

    /// <summary>The drop a packet the device did not take is counted as.</summary>
    public static DropReason DropFor(TunError error) => error switch
    {
        TunError.QueueFull => DropReason.TunQueueFull,
        TunError.Down or TunError.Gone => DropReason.TunUnavailable,
        _ => DropReason.TunRejected,
    };
}

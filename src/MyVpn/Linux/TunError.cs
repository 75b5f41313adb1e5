namespace MyVpn.Linux;

/// <summary>What a failed read(2) or write(2) on the tun descriptor means for the device (<see cref="TunErrors"/>).</summary>
internal enum TunError
{
    /// <summary>EINTR: a signal arrived first; try the call again.</summary>
    Interrupted,
    /// <summary>EAGAIN on read: nothing waits; the drain ends.</summary>
    Empty,
    /// <summary>ENOBUFS, ENOMEM, or EAGAIN on write: no room now; this packet is lost, the next may pass.</summary>
    QueueFull,
    /// <summary>EINVAL, EMSGSIZE, EFAULT: the device refused this one packet (or, reading, lost it); the next may pass.</summary>
    Rejected,
    /// <summary>EIO, ENETDOWN: the interface is down (<c>ip link set tun0 down</c>); nothing passes until it is up again.</summary>
    Down,
    /// <summary>EBADFD, EBADF, ENODEV, ENXIO (or, reading, anything unexpected): the interface is gone (<c>ip link del tun0</c>); it will not come back on this descriptor.</summary>
    Gone,
}

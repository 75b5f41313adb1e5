using MyVpn.Io;
using MyVpn.Linux.Interop;

namespace MyVpn.Linux;

/// <summary>
/// A TUN interface (IFF_TUN | IFF_NO_PI: bare IP packets) on a non-blocking descriptor. Reads never
/// block: the host's <see cref="Poller"/> says when to read. Creates the interface, or attaches to an
/// existing persistent one of that name.
/// </summary>
internal sealed class LinuxTunDevice : ITunDevice, IDisposable
{
    private long _dropped;
    private bool _drained;

    private LinuxTunDevice(TunHandle handle, string name)
    {
        Handle = handle;
        Name = name;
    }

    public TunHandle Handle { get; }

    /// <summary>The interface name the kernel gave (the requested one, or e.g. tun3 for "tun%d").</summary>
    public string Name { get; }

    public int BatchSize => 32;

    /// <summary>Packets the kernel refused on write.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public static unsafe LinuxTunDevice Open(string name)
    {
        var request = IfReq.For(name);
        request.Flags = Ioctls.IFF_TUN | Ioctls.IFF_NO_PI;
        var fd = LibC.Open("/dev/net/tun", LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (fd < 0)
            throw ErrnoException.FromLastError("open(/dev/net/tun)");
        var handle = new TunHandle(fd);
        if (LibC.Ioctl(handle, Ioctls.TUNSETIFF, &request) < 0)
        {
            var error = ErrnoException.FromLastError($"ioctl(TUNSETIFF, {name})");
            handle.Dispose();
            throw error;
        }
        return new LinuxTunDevice(handle, request.InterfaceName);
    }

    /// <summary>
    /// Reads until the batch is full or the kernel says EAGAIN. After a read that ended in EAGAIN the
    /// next call returns 0 without a system call: the engine reads until 0, and a packet that arrived
    /// in between is reported by the poller's next (level-triggered) poll. One read(2) less per wake-up.
    /// </summary>
    public unsafe int Read(Span<PacketBuffer> packets)
    {
        if (_drained)
        {
            _drained = false;
            return 0;
        }
        var count = 0;
        while (count < packets.Length)
        {
            var packet = packets[count];
            var room = packet.Writable;
            nint n;
            fixed (byte* p = room)
                n = LibC.Read(Handle, p, (nuint)room.Length);
            if (n < 0)
            {
                var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR)
                    continue;
                if (errno == Errno.EAGAIN)
                {
                    _drained = count > 0;
                    break;
                }
                throw new ErrnoException($"read({Name})", errno);
            }
            packet.Length = (int)n;
            count++;
        }
        return count;
    }

    public unsafe void Write(ReadOnlySpan<PacketBuffer> packets)
    {
        foreach (var packet in packets)
        {
            var bytes = packet.Span;
            nint n;
            fixed (byte* p = bytes)
                n = LibC.Write(Handle, p, (nuint)bytes.Length);
            if (n != bytes.Length)
                Interlocked.Increment(ref _dropped);
        }
    }

    public void Dispose() => Handle.Dispose();
}

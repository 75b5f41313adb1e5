using System.Runtime.InteropServices;
using MyVpn.Io;
using MyVpn.Linux.Interop;
using MyVpn.Linux.Offload;
using MyVpn.Protocol;

namespace MyVpn.Linux;

/// <summary>
/// A TUN interface (IFF_TUN | IFF_NO_PI: bare IP packets) on a non-blocking descriptor. Reads never
/// block: the host's <see cref="Poller"/> says when to read. Creates the interface, or attaches to an
/// existing persistent one of that name.
/// With offloads (the default of the daemon) it is opened with IFF_VNET_HDR and TUNSETOFFLOAD
/// (TUN_F_CSUM | TUN_F_TSO4): the kernel hands over TCP/IPv4 super-segments of up to 64 KB, which
/// <see cref="VnetTunReader"/> splits into MSS-sized packets, and <see cref="VnetTunWriter"/> writes
/// runs of one TCP flow's segments as one GSO packet. TSO6 is not asked for: the VPN carries IPv4 only
/// and the engines drop IPv6, so the kernel segments IPv6 itself before we drop it.
/// <see cref="Write"/> may be called from several threads at once (each call holds the write lock);
/// <see cref="Read"/> by one thread at a time (it holds the read lock all the same).
/// A failing read or write is judged by <see cref="TunErrors"/>: a lost packet is counted and the next one
/// tried; a device that is gone (<c>ip link del</c>: EBADFD) is reported once through <see cref="Vanished"/>,
/// and from then on reads answer 0 and writes drop without a system call, so nothing spins on it.
/// </summary>
internal sealed class LinuxTunDevice : ITunDevice, IDisposable
{
    private readonly Lock _readLock = new();
    private readonly Lock _writeLock = new();
    private readonly VnetTunReader? _reader;
    private readonly VnetTunWriter? _writer;
    private long _dropped;
    private bool _drained;
    private bool _oneAtATime = true;
    private bool _loneOut;
    private int _gone;

    private LinuxTunDevice(TunHandle handle, string name, bool vnetHeader, bool segmentation)
    {
        Handle = handle;
        Name = name;
        if (vnetHeader)
        {
            _reader = new VnetTunReader();
            _writer = new VnetTunWriter(coalesce: segmentation);
        }
    }

    public TunHandle Handle { get; }

    /// <summary>The interface name the kernel gave (the requested one, or e.g. tun3 for "tun%d").</summary>
    public string Name { get; }

    public int BatchSize => 32;

    /// <summary>Packets read that could not be delivered (a failed write is the engine's counted drop).</summary>
    public long Dropped => Interlocked.Read(ref _dropped) + (_reader?.Dropped ?? 0);

    /// <summary>
    /// Called once, on the thread whose read or write found the device gone, with a one-line reason
    /// (<c>read(tun0): EBADFD</c>). The daemon exits on it (docs/operations.md); set it before the poller starts.
    /// </summary>
    public Action<string>? Vanished { get; set; }

    /// <summary>Whether a read or write found the device gone.</summary>
    public bool IsGone => Volatile.Read(ref _gone) != 0;

    /// <summary>TCP super-segments read and split (0 without offloads).</summary>
    public long SuperSegmentsRead => _reader?.SuperSegments ?? 0;

    /// <summary>GSO packets written, each two or more segments (0 without offloads).</summary>
    public long CoalescedWrites => _writer?.CoalescedWrites ?? 0;

    public static LinuxTunDevice Open(string name) => Open(name, Offloads.None);

    /// <summary>A device over a descriptor that behaves like an opened tun (tests use a SOCK_SEQPACKET socket pair).</summary>
    internal static LinuxTunDevice Attach(TunHandle handle, string name, bool vnetHeader, bool segmentation) =>
        new(handle, name, vnetHeader, segmentation);

    /// <summary>
    /// Opens (creates) the device; with <paramref name="offloads"/> enabled, asks for the virtio header and
    /// TSO, and falls back to the plain device when the kernel refuses (recorded in <see cref="Offloads.TunStatus"/>).
    /// </summary>
    public static unsafe LinuxTunDevice Open(string name, Offloads offloads)
    {
        if (!offloads.Enabled)
            return OpenPlain(name);
        var request = IfReq.For(name);
        request.Flags = Ioctls.IFF_TUN | Ioctls.IFF_NO_PI | Ioctls.IFF_VNET_HDR;
        var handle = OpenDevice();
        if (LibC.Ioctl(handle, Ioctls.TUNSETIFF, &request) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            if (errno != Errno.EINVAL)
                throw new ErrnoException($"ioctl(TUNSETIFF, {name})", errno);
            offloads.TunStatus = $"off (IFF_VNET_HDR: {Errno.Name(errno)})";
            return OpenPlain(name);
        }
        var headerSize = VirtioNetHeader.Size;
        if (LibC.Ioctl(handle, Ioctls.TUNSETVNETHDRSZ, &headerSize) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            offloads.TunStatus = $"off (TUNSETVNETHDRSZ: {Errno.Name(errno)})";
            return OpenPlain(name);
        }
        var segmentation = LibC.Ioctl(handle, Ioctls.TUNSETOFFLOAD, (void*)(nuint)(Ioctls.TUN_F_CSUM | Ioctls.TUN_F_TSO4)) == 0;
        offloads.TunStatus = segmentation
            ? "TSO4 + checksum offload on"
            : $"offload off (TUNSETOFFLOAD: {Errno.Name(Marshal.GetLastPInvokeError())})";
        return new LinuxTunDevice(handle, request.InterfaceName, vnetHeader: true, segmentation);
    }

    private static unsafe LinuxTunDevice OpenPlain(string name)
    {
        var request = IfReq.For(name);
        request.Flags = Ioctls.IFF_TUN | Ioctls.IFF_NO_PI;
        var handle = OpenDevice();
        if (LibC.Ioctl(handle, Ioctls.TUNSETIFF, &request) < 0)
        {
            var error = ErrnoException.FromLastError($"ioctl(TUNSETIFF, {name})");
            handle.Dispose();
            throw error;
        }
        return new LinuxTunDevice(handle, request.InterfaceName, vnetHeader: false, segmentation: false);
    }

    private static TunHandle OpenDevice()
    {
        var fd = LibC.Open("/dev/net/tun", LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (fd < 0)
            throw ErrnoException.FromLastError("open(/dev/net/tun)");
        return new TunHandle(fd);
    }

    /// <summary>
    /// Reads until the batch is full or the kernel says EAGAIN. After a read that ended in EAGAIN the
    /// next call returns 0 without a system call (<c>_drained</c>): the engine reads until 0, and a packet
    /// that arrived in between is reported by the poller's next poll. One read(2) less per wake-up. This
    /// relies on readiness being level-triggered, as <see cref="ITunDevice"/>'s contract states and
    /// <see cref="Poller"/> provides: under a host that reported only arrivals, that packet would wait.
    /// Segments of a super-segment that did not fit in the batch come first in the next call.
    /// On a quiet device (the last burst was one packet: <c>_oneAtATime</c>) the first packet is handed out
    /// at once (<c>_loneOut</c>), so the engine sends it before the read that would only find the queue empty
    /// (a ping or a request waits one system call less); when the next call finds another packet already
    /// waiting, it is a burst and is batched as above. A short batch with more waiting is within the
    /// contract: the engine calls again until 0.
    /// </summary>
    public int Read(Span<PacketBuffer> packets)
    {
        if (IsGone)
            return 0;
        lock (_readLock)
        {
            var count = _reader?.EmitPending(packets, 0) ?? 0;
            if (count == packets.Length)
                return count;
            if (_drained)
            {
                // segments left over from the last call are not news from the kernel: the flag stays
                if (count == 0)
                    _drained = false;
                return count;
            }
            var fresh = count;
            while (count < packets.Length)
            {
                var n = _reader is null ? ReadPlain(packets[count], out var errno) : _reader.ReadOne(Handle, packets, count, out errno);
                if (n < 0)
                {
                    var error = TunErrors.OfRead(errno);
                    if (error == TunError.Interrupted)
                        continue;
                    if (error == TunError.Empty)
                    {
                        _drained = count > 0;
                        _oneAtATime = count - fresh <= 1;
                        _loneOut = false;
                        break;
                    }
                    // a lost packet, a device that is down or gone: this drain ends; the poller says when to read again
                    _drained = false;
                    if (error is TunError.QueueFull or TunError.Rejected)
                        Interlocked.Increment(ref _dropped);
                    else if (error == TunError.Gone)
                        MarkGone("read", errno);
                    break;
                }
                count += n;
                if (n > 0 && _oneAtATime)
                {
                    if (!_loneOut)
                    {
                        _loneOut = true;
                        return count; // quiet tun: this packet goes out before the read that would find the queue empty
                    }
                    _oneAtATime = false; // the next packet was already waiting: a burst, batch it
                }
            }
            return count;
        }
    }

    private unsafe int ReadPlain(PacketBuffer packet, out int errno)
    {
        errno = 0;
        var room = packet.Writable;
        nint n;
        fixed (byte* p = room)
            n = LibC.Read(Handle, p, (nuint)room.Length);
        if (n < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return -1;
        }
        packet.Length = (int)n;
        return 1;
    }

    /// <summary>
    /// Writes each packet (with offloads, runs of a flow as one GSO packet). A packet the kernel refuses is
    /// lost and the next one tried; the result counts them under the last refusal's reason (<see cref="TunErrors"/>).
    /// </summary>
    public unsafe TunWriteResult Write(ReadOnlySpan<PacketBuffer> packets)
    {
        if (IsGone)
            return new TunWriteResult(packets.Length, DropReason.TunUnavailable);
        lock (_writeLock)
        {
            int refused;
            int errno;
            if (_writer is not null)
            {
                refused = _writer.Write(Handle, packets, out errno);
            }
            else
            {
                refused = 0;
                errno = 0;
                foreach (var packet in packets)
                {
                    var failure = WritePlain(packet.Span);
                    if (failure < 0)
                        continue;
                    refused++;
                    errno = failure;
                }
            }
            if (refused == 0)
                return TunWriteResult.AllWritten;
            var error = TunErrors.OfWrite(errno);
            if (error == TunError.Gone)
                MarkGone("write", errno);
            return new TunWriteResult(refused, TunErrors.DropFor(error));
        }
    }

    /// <summary>Writes one packet; -1 when the kernel took it whole, else the errno (0 for a short write).</summary>
    private unsafe int WritePlain(ReadOnlySpan<byte> bytes)
    {
        while (true)
        {
            nint n;
            fixed (byte* p = bytes)
                n = LibC.Write(Handle, p, (nuint)bytes.Length);
            if (n == bytes.Length)
                return -1;
            if (n >= 0)
                return 0;
            var errno = Marshal.GetLastPInvokeError();
            if (TunErrors.OfWrite(errno) != TunError.Interrupted)
                return errno;
        }
    }

    /// <summary>The device is gone: reported once; reads and writes stop touching the descriptor.</summary>
    private void MarkGone(string call, int errno)
    {
        if (Interlocked.Exchange(ref _gone, 1) == 0)
            Vanished?.Invoke($"{call}({Name}): {Errno.Name(errno)}");
    }

    public void Dispose() => Handle.Dispose();
}

using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using MyVpn.Linux.Interop;

namespace MyVpn.Linux;

/// <summary>
/// One dedicated thread that waits in <c>epoll_wait(2)</c> on the descriptors it watches and calls a
/// descriptor's callback when it is readable. Callbacks for one descriptor never overlap (there is
/// one thread), and no thread-pool thread ever blocks on I/O. Level-triggered: a callback that leaves
/// anything unread is called again, which the seams' contract promises the devices (<see cref="Io.ITunDevice"/>,
/// <see cref="Io.IDatagramTransport"/>: a read may answer 0 while data waits). A host runs several: one for the tun
/// device, others for the UDP sockets (see <c>docs/threading.md</c>), so the directions use
/// different cores while each descriptor keeps a single reader and its packets their order.
/// epoll, not poll: a wake-up costs the same with one descriptor or a thousand sessions' sockets, and
/// nothing is registered with the kernel anew on every wait.
/// </summary>
internal sealed partial class Poller : IDisposable
{
    /// <summary>Events one epoll_wait hands over at most; more ready descriptors wait for the next turn.</summary>
    private const int MaxEvents = 64;

    /// <summary>The wake-up eventfd's epoll data; a registration's is its slot + 1.</summary>
    private const ulong WakeData = 0;

    private readonly object _gate = new();
    private readonly List<Registration> _removed = [];
    private readonly FileDescriptorHandle _epoll;
    private readonly FileDescriptorHandle _wake;
    private readonly Thread _thread;
    private readonly ILogger _logger;
    private Registration?[] _slots = new Registration?[8];
    private int _watched;
    private bool _changed;
    private volatile bool _stopping;
    private long _wakeUps;

    public Poller(ILogger logger, string name = "myvpn-poller")
    {
        _logger = logger;
        var epoll = LibC.EpollCreate1(LibC.EPOLL_CLOEXEC);
        if (epoll < 0)
            throw ErrnoException.FromLastError("epoll_create1");
        _epoll = new FileDescriptorHandle(epoll);
        var fd = LibC.EventFd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        if (fd < 0)
        {
            var error = ErrnoException.FromLastError("eventfd");
            _epoll.Dispose();
            throw error;
        }
        _wake = new FileDescriptorHandle(fd);
        Control(LibC.EPOLL_CTL_ADD, _wake.Fd, WakeData, "epoll_ctl(ADD, eventfd)");
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>
    /// Calls <paramref name="onReadable"/> on the poller thread whenever <paramref name="handle"/> is
    /// readable, until the returned registration is disposed. The descriptor stays open (its close is
    /// deferred) until the poller has let go of it, so a reused descriptor number is never confused.
    /// </summary>
    public IDisposable Watch(SafeHandle handle, Action onReadable)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            lock (_gate)
            {
                var slot = FreeSlot();
                var registration = new Registration(this, handle, (int)handle.DangerousGetHandle(), slot, onReadable);
                _slots[slot] = registration; // before the kernel may report it
                try
                {
                    Control(LibC.EPOLL_CTL_ADD, registration.Fd, (ulong)slot + 1, "epoll_ctl(ADD)");
                }
                catch
                {
                    _slots[slot] = null;
                    throw;
                }
                _watched++;
                return registration;
            }
        }
        catch
        {
            handle.DangerousRelease();
            throw;
        }
    }

    /// <summary>How many descriptors this poller watches now (the binder gives a new socket to the least busy).</summary>
    public int Watched
    {
        get
        {
            lock (_gate)
                return _watched;
        }
    }

    /// <summary>The thread's name (<c>myvpn-tun</c>, <c>myvpn-udp0</c>…), as <c>top -H</c> shows it.</summary>
    public string Name => _thread.Name!;

    /// <summary>
    /// How many times the thread has come round to its wake-up descriptor: <see cref="Nudge"/> then a
    /// later, larger value shows the thread is not stuck (the systemd watchdog asks this way).
    /// </summary>
    public long WakeUps => Interlocked.Read(ref _wakeUps);

    /// <summary>Wakes the thread for nothing; it counts the wake-up in <see cref="WakeUps"/> once it gets to it.</summary>
    public void Nudge() => Wake();

    /// <summary>A slot no registration holds, growing the table (copy on write: the poller thread reads it without the lock).</summary>
    private int FreeSlot()
    {
        var slots = _slots;
        for (var i = 0; i < slots.Length; i++)
            if (slots[i] is null)
                return i;
        var grown = new Registration?[slots.Length * 2];
        slots.CopyTo(grown, 0);
        Volatile.Write(ref _slots, grown);
        return slots.Length;
    }

    private void Remove(Registration registration)
    {
        lock (_gate)
        {
            if (registration.Removed)
                return;
            registration.Removed = true;
            try
            {
                if (!_stopping)
                    Control(LibC.EPOLL_CTL_DEL, registration.Fd, 0, null); // the descriptor is still open: we hold a reference
            }
            catch (ObjectDisposedException)
            {
                // the poller stopped meanwhile: its epoll descriptor is gone, and with it the watch
            }
            _watched--;
            _removed.Add(registration);
            _changed = true;
        }
        Wake();
    }

    private unsafe void Control(int op, int fd, ulong data, string? what)
    {
        var ev = stackalloc byte[16];
        EpollEvent.Write(new Span<byte>(ev, 16), LibC.EPOLLIN, data);
        if (LibC.EpollCtl(_epoll, op, fd, ev) < 0 && what is not null)
            throw ErrnoException.FromLastError(what);
    }

    private unsafe void Wake()
    {
        ulong one = 1;
        try
        {
            LibC.Write(_wake, (byte*)&one, sizeof(ulong));
        }
        catch (ObjectDisposedException)
        {
            // stopped: nothing left to wake
        }
    }

    private unsafe void Run()
    {
        var events = GC.AllocateArray<byte>(MaxEvents * EpollEvent.Size, pinned: true);
        while (!_stopping)
        {
            if (Volatile.Read(ref _changed))
                ReleaseRemoved();
            int ready;
            fixed (byte* p = events)
                ready = LibC.EpollWait(_epoll, p, MaxEvents, -1);
            if (ready < 0)
            {
                if (Marshal.GetLastPInvokeError() != Errno.EINTR)
                    LogPollFailed(_logger, ErrnoException.FromLastError("epoll_wait").Message);
                continue;
            }
            var slots = Volatile.Read(ref _slots);
            for (var i = 0; i < ready; i++)
            {
                var at = events.AsSpan(i * EpollEvent.Size, EpollEvent.Size);
                var data = EpollEvent.Data(at);
                if (data == WakeData)
                {
                    DrainWake();
                    continue;
                }
                if ((EpollEvent.Events(at) & (LibC.EPOLLIN | LibC.EPOLLERR | LibC.EPOLLHUP)) == 0)
                    continue;
                // a slot is emptied only by this thread (ReleaseRemoved), so the registration is still there;
                // one removed while this batch was collected is skipped
                var slot = (int)(data - 1);
                if (slot >= slots.Length || slots[slot] is not { Removed: false } registration)
                    continue;
                try
                {
                    registration.OnReadable();
                }
                catch (Exception e)
                {
                    LogCallbackFailed(_logger, e);
                }
            }
        }
        lock (_gate)
        {
            foreach (var registration in _slots)
            {
                if (registration is { Removed: false })
                {
                    registration.Removed = true;
                    _removed.Add(registration);
                }
            }
        }
        ReleaseRemoved();
    }

    /// <summary>Frees the slots of removed registrations and lets go of their descriptors (poller thread only, between waits).</summary>
    private void ReleaseRemoved()
    {
        Registration[] released;
        lock (_gate)
        {
            _changed = false;
            released = [.. _removed];
            _removed.Clear();
            foreach (var registration in released)
                if (ReferenceEquals(_slots[registration.Slot], registration))
                    _slots[registration.Slot] = null;
        }
        foreach (var registration in released)
            registration.Handle.DangerousRelease();
    }

    private unsafe void DrainWake()
    {
        ulong value;
        LibC.Read(_wake, (byte*)&value, sizeof(ulong));
        Interlocked.Increment(ref _wakeUps);
    }

    public void Dispose()
    {
        if (_stopping)
            return;
        _stopping = true;
        Wake();
        if (Thread.CurrentThread != _thread)
            _thread.Join();
        _wake.Dispose();
        _epoll.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "epoll_wait failed: {Reason}")]
    private static partial void LogPollFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "a readable-descriptor callback failed")]
    private static partial void LogCallbackFailed(ILogger logger, Exception exception);

    private sealed class Registration(Poller owner, SafeHandle handle, int fd, int slot, Action onReadable) : IDisposable
    {
        public SafeHandle Handle { get; } = handle;
        public int Fd { get; } = fd;
        public int Slot { get; } = slot;
        public Action OnReadable { get; } = onReadable;
        public volatile bool Removed;

        public void Dispose() => owner.Remove(this);
    }
}

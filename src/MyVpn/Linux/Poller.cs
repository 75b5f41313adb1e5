using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using MyVpn.Linux.Interop;

namespace MyVpn.Linux;

/// <summary>
/// One dedicated thread that waits in <c>poll(2)</c> on the descriptors it watches and calls a
/// descriptor's callback when it is readable. Callbacks for one descriptor never overlap (there is
/// one thread), and no thread-pool thread ever blocks on I/O. Level-triggered: a callback must drain
/// its descriptor (read until EAGAIN) or it is called again. A host runs several: one for the tun
/// device, others for the UDP sockets (see <c>docs/threading.md</c>), so the directions use
/// different cores while each descriptor keeps a single reader and its packets their order.
/// </summary>
internal sealed partial class Poller : IDisposable
{
    private readonly object _gate = new();
    private readonly List<Registration> _registrations = [];
    private readonly List<Registration> _removed = [];
    private readonly FileDescriptorHandle _wake;
    private readonly Thread _thread;
    private readonly ILogger _logger;
    private bool _changed = true;
    private volatile bool _stopping;

    public Poller(ILogger logger, string name = "myvpn-poller")
    {
        _logger = logger;
        var fd = LibC.EventFd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        if (fd < 0)
            throw ErrnoException.FromLastError("eventfd");
        _wake = new FileDescriptorHandle(fd);
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
        var registration = new Registration(this, handle, (int)handle.DangerousGetHandle(), onReadable);
        lock (_gate)
        {
            _registrations.Add(registration);
            _changed = true;
        }
        Wake();
        return registration;
    }

    /// <summary>How many descriptors this poller watches now (the binder gives a new socket to the least busy).</summary>
    public int Watched
    {
        get
        {
            lock (_gate)
                return _registrations.Count;
        }
    }

    private void Remove(Registration registration)
    {
        lock (_gate)
        {
            if (!_registrations.Remove(registration))
                return;
            registration.Removed = true;
            _removed.Add(registration);
            _changed = true;
        }
        Wake();
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
        var watched = Array.Empty<Registration>();
        var fds = new PollFd[1];
        while (!_stopping)
        {
            if (Volatile.Read(ref _changed))
                (watched, fds) = Rebuild();
            int ready;
            fixed (PollFd* p = fds)
                ready = LibC.Poll(p, (nuint)fds.Length, -1);
            if (ready < 0)
            {
                if (Marshal.GetLastPInvokeError() != Errno.EINTR)
                    LogPollFailed(_logger, ErrnoException.FromLastError("poll").Message);
                continue;
            }
            if (fds[0].Revents != 0)
                DrainWake();
            for (var i = 1; i < fds.Length; i++)
            {
                if ((fds[i].Revents & (LibC.POLLIN | LibC.POLLERR | LibC.POLLHUP)) == 0)
                    continue;
                var registration = watched[i - 1];
                if (registration.Removed)
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
            _removed.AddRange(_registrations);
            _registrations.Clear();
        }
        Rebuild();
    }

    private (Registration[], PollFd[]) Rebuild()
    {
        Registration[] watched;
        Registration[] released;
        lock (_gate)
        {
            _changed = false;
            watched = [.. _registrations];
            released = [.. _removed];
            _removed.Clear();
        }
        foreach (var registration in released)
            registration.Handle.DangerousRelease();
        var fds = new PollFd[watched.Length + 1];
        fds[0] = new PollFd { Fd = _wake.Fd, Events = LibC.POLLIN };
        for (var i = 0; i < watched.Length; i++)
            fds[i + 1] = new PollFd { Fd = watched[i].Fd, Events = LibC.POLLIN };
        return (watched, fds);
    }

    private unsafe void DrainWake()
    {
        ulong value;
        LibC.Read(_wake, (byte*)&value, sizeof(ulong));
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
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "poll failed: {Reason}")]
    private static partial void LogPollFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "a readable-descriptor callback failed")]
    private static partial void LogCallbackFailed(ILogger logger, Exception exception);

    private sealed class Registration(Poller owner, SafeHandle handle, int fd, Action onReadable) : IDisposable
    {
        public SafeHandle Handle { get; } = handle;
        public int Fd { get; } = fd;
        public Action OnReadable { get; } = onReadable;
        public volatile bool Removed;

        public void Dispose() => owner.Remove(this);
    }
}

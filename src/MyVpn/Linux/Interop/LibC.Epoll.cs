using System.Runtime.InteropServices;

namespace MyVpn.Linux.Interop;

internal static partial class LibC
{
    public const int EPOLL_CLOEXEC = 0x80000;
    public const int EPOLL_CTL_ADD = 1;
    public const int EPOLL_CTL_DEL = 2;
    public const uint EPOLLIN = 0x1;
    public const uint EPOLLERR = 0x8;
    public const uint EPOLLHUP = 0x10;

    /// <summary><c>man 2 epoll_create1</c>: a new epoll descriptor, or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int EpollCreate1(int flags);

    /// <summary><c>man 2 epoll_ctl</c>: 0, or -1 with errno set. <paramref name="ev"/> points at an <see cref="EpollEvent"/>.</summary>
    [LibraryImport(Library, EntryPoint = "epoll_ctl", SetLastError = true)]
    public static unsafe partial int EpollCtl(FileDescriptorHandle epoll, int op, int fd, byte* ev);

    /// <summary><c>man 2 epoll_wait</c>: the number of events written to <paramref name="events"/>, or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "epoll_wait", SetLastError = true)]
    public static unsafe partial int EpollWait(FileDescriptorHandle epoll, byte* events, int maxEvents, int timeoutMilliseconds);
}

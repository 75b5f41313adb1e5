using System.Runtime.InteropServices;

namespace MyVpn.Linux.Interop;

/// <summary><c>struct pollfd</c> (8 bytes on every Linux ABI).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PollFd
{
    public int Fd;
    public short Events;
    public short Revents;
}

internal static partial class LibC
{
    public const short POLLIN = 0x1;
    public const short POLLERR = 0x8;
    public const short POLLHUP = 0x10;
    public const short POLLNVAL = 0x20;

    /// <summary><c>man 2 poll</c>: the number of ready descriptors, 0 on timeout, -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    public static unsafe partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);
}

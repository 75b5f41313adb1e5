using System.Runtime.InteropServices;

namespace MyVpn.Linux.Interop;

internal static partial class LibC
{
    public const int EFD_NONBLOCK = 0x800;
    public const int EFD_CLOEXEC = 0x80000;

    /// <summary><c>man 2 eventfd</c>: a counter descriptor used to wake a thread blocked in poll.</summary>
    [LibraryImport(Library, EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initialValue, int flags);
}

using System.Runtime.InteropServices;

namespace MyVpn.Linux.Interop;

internal static partial class LibC
{
    /// <summary><c>man 2 readv</c>: reads into several buffers in turn; bytes read, or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "readv", SetLastError = true)]
    public static unsafe partial nint ReadV(SafeHandle fd, IoVec* iov, int count);
}

using System.Runtime.InteropServices;

namespace MyVpn.Linux.Interop;

internal static partial class LibC
{
    /// <summary><c>man 2 read</c>: bytes read, 0 at end of file, or -1 with errno set (EAGAIN on an empty non-blocking fd).</summary>
    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    public static unsafe partial nint Read(SafeHandle fd, byte* buffer, nuint count);
}

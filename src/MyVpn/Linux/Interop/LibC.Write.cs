using System.Runtime.InteropServices;

namespace MyVpn.Linux.Interop;

internal static partial class LibC
{
    /// <summary><c>man 2 write</c>: bytes written, or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    public static unsafe partial nint Write(SafeHandle fd, byte* buffer, nuint count);
}

using System.Runtime.InteropServices;

namespace MyVpn.Linux.Interop;

internal static partial class LibC
{
    /// <summary><c>man 2 writev</c>: writes several buffers as one (one packet on a tun device); bytes written, or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "writev", SetLastError = true)]
    public static unsafe partial nint WriteV(SafeHandle fd, IoVec* iov, int count);
}

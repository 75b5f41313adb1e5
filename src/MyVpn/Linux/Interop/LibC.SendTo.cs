using System.Runtime.InteropServices;

namespace MyVpn.Linux.Interop;

internal static partial class LibC
{
    /// <summary><c>man 2 sendto</c>: bytes sent, or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "sendto", SetLastError = true)]
    public static unsafe partial nint SendTo(SafeHandle socket, byte* buffer, nuint length, int flags,
        SockAddrIn* to, uint toLength);
}

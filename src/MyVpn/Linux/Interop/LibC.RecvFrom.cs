using System.Runtime.InteropServices;

namespace MyVpn.Linux.Interop;

internal static partial class LibC
{
    public const int MSG_DONTWAIT = 0x40;

    /// <summary><c>man 2 recvfrom</c>: bytes received, or -1 with errno set (EAGAIN: nothing waiting).</summary>
    [LibraryImport(Library, EntryPoint = "recvfrom", SetLastError = true)]
    public static unsafe partial nint RecvFrom(SafeHandle socket, byte* buffer, nuint length, int flags,
        SockAddrIn* from, uint* fromLength);
}

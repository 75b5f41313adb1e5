using System.Runtime.InteropServices;

namespace MyVpn.Linux.Interop;

internal static partial class LibC
{
    public const int MSG_DONTWAIT = 0x40;

    /// <summary>
    /// <c>man 2 recvmmsg</c>: receives up to <paramref name="count"/> datagrams in one call; returns how
    /// many (each message's <see cref="MMsgHdr.Length"/> set), or -1 with errno set (EAGAIN: nothing waiting).
    /// </summary>
    [LibraryImport(Library, EntryPoint = "recvmmsg", SetLastError = true)]
    public static unsafe partial int RecvMmsg(SafeHandle socket, MMsgHdr* messages, uint count, int flags, void* timeout);
}

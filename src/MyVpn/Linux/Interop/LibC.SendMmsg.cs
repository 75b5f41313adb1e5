using System.Runtime.InteropServices;

namespace MyVpn.Linux.Interop;

internal static partial class LibC
{
    /// <summary>
    /// <c>man 2 sendmmsg</c>: sends up to <paramref name="count"/> datagrams in one call; returns how many
    /// went out (fewer when one fails after the first), or -1 with errno set when the first one fails.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "sendmmsg", SetLastError = true)]
    public static unsafe partial int SendMmsg(SafeHandle socket, MMsgHdr* messages, uint count, int flags);
}

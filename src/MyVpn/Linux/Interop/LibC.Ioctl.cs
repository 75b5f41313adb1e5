using System.Runtime.InteropServices;

namespace MyVpn.Linux.Interop;

internal static partial class LibC
{
    /// <summary><c>man 2 ioctl</c> with a pointer argument (a <see cref="IfReq"/> here).</summary>
    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    public static unsafe partial int Ioctl(SafeHandle fd, nuint request, void* argument);
}

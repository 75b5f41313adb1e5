using System.Runtime.InteropServices;

namespace MyVpn.Linux.Interop;

internal static partial class LibC
{
    /// <summary><c>statx</c> on the descriptor itself (empty path), never on a name that could have changed.</summary>
    public const int AT_EMPTY_PATH = 0x1000;

    public const uint STATX_TYPE = 0x1;
    public const uint STATX_MODE = 0x2;
    public const uint STATX_UID = 0x8;

    /// <summary>The size of <c>struct statx</c>; its layout is the same on every architecture.</summary>
    public const int StatxSize = 256;

    /// <summary>Offsets in <c>struct statx</c> (linux/stat.h): <c>stx_mask</c> u32 at 0, <c>stx_uid</c> u32 at 20, <c>stx_mode</c> u16 at 28.</summary>
    public const int StatxMaskOffset = 0;
    public const int StatxUidOffset = 20;
    public const int StatxModeOffset = 28;

    /// <summary><c>man 2 statx</c>: 0, or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);
}

using System.Runtime.InteropServices;

namespace MyVpn.Linux.Interop;

internal static partial class LibC
{
    /// <summary><c>man 2 geteuid</c>: the effective user id (0 for root). Never fails.</summary>
    [LibraryImport(Library, EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUserId();
}

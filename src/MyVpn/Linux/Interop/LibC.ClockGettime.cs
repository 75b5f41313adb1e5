using System.Runtime.InteropServices;

namespace MyVpn.Linux.Interop;

internal static partial class LibC
{
    public const int CLOCK_MONOTONIC = 1;

    /// <summary><c>man 2 clock_gettime</c>: the time of <paramref name="clock"/>.</summary>
    [LibraryImport(Library, EntryPoint = "clock_gettime", SetLastError = true)]
    public static unsafe partial int ClockGetTime(int clock, TimeSpec* time);
}

using System.Runtime.InteropServices;

namespace MyVpn.Linux.Interop;

/// <summary>The C <c>struct timespec</c> (64-bit Linux): seconds and nanoseconds.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TimeSpec
{
    public long Seconds;
    public long Nanoseconds;
}

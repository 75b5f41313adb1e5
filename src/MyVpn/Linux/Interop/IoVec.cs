using System.Runtime.InteropServices;

namespace MyVpn.Linux.Interop;

/// <summary><c>struct iovec</c>: one buffer of a scatter/gather list.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IoVec
{
    public byte* Base;
    public nuint Length;
}

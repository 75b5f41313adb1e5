using System.Runtime.InteropServices;

namespace MyVpn.Linux.Interop;

/// <summary><c>struct msghdr</c> (x86-64/arm64 layout: 56 bytes, the padding is implicit).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct MsgHdr
{
    public SockAddrInet* Name;
    public uint NameLength;
    public IoVec* Iov;
    public nuint IovLength;
    public void* Control;
    public nuint ControlLength;
    public int Flags;
}

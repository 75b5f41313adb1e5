using System.Runtime.InteropServices;

namespace MyVpn.Linux.Interop;

/// <summary><c>struct mmsghdr</c>: a message of <c>recvmmsg</c>/<c>sendmmsg</c> and the bytes it moved (64 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MMsgHdr
{
    public MsgHdr Header;
    public uint Length;
}

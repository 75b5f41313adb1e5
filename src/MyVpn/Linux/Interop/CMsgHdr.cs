using System.Runtime.InteropServices;

namespace MyVpn.Linux.Interop;

/// <summary><c>struct cmsghdr</c> (16 bytes on 64-bit Linux); the data follows it, each message 8-byte aligned.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CMsgHdr
{
    public const int Size = 16;

    public nuint Length;
    public int Level;
    public int Type;

    /// <summary><c>CMSG_LEN</c>: a header and <paramref name="dataLength"/> bytes of data.</summary>
    public static int LengthFor(int dataLength) => Size + dataLength;

    /// <summary><c>CMSG_SPACE</c>: <see cref="LengthFor"/> rounded up to the 8-byte alignment.</summary>
    public static int SpaceFor(int dataLength) => (LengthFor(dataLength) + 7) & ~7;
}

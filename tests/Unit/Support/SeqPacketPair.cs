using System.Runtime.InteropServices;
using Xunit;

namespace MyVpn.Tests.Unit.Support;

/// <summary>
/// A non-blocking AF_UNIX SOCK_SEQPACKET socket pair: one message per send or recv, EAGAIN when empty,
/// end-of-file once the other end is closed. Tests use it where the kernel would hand out a tun device
/// or a socket, and drive the other end with these calls.
/// </summary>
internal static partial class SeqPacketPair
{
    public const int MSG_DONTWAIT = 0x40;
    public const int MSG_NOSIGNAL = 0x4000;

    /// <summary>Both descriptors of a new pair.</summary>
    public static (int First, int Second) Open()
    {
        var fds = new int[2];
        Assert.Equal(0, SocketPair(1 /* AF_UNIX */, 5 | 0x800 /* SOCK_SEQPACKET | SOCK_NONBLOCK */, 0, fds));
        return (fds[0], fds[1]);
    }

    [LibraryImport("libc.so.6", EntryPoint = "socketpair", SetLastError = true)]
    private static partial int SocketPair(int domain, int type, int protocol, [Out] int[] fds);

    [LibraryImport("libc.so.6", EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int fd, byte[] buffer, nint length, int flags);

    [LibraryImport("libc.so.6", EntryPoint = "recv", SetLastError = true)]
    public static partial nint Recv(int fd, [Out] byte[] buffer, nint length, int flags);

    [LibraryImport("libc.so.6", EntryPoint = "close")]
    public static partial int Close(int fd);
}

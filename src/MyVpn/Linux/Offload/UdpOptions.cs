using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace MyVpn.Linux.Offload;

/// <summary>The UDP-level socket options and control messages of the segmentation offloads (linux/udp.h).</summary>
internal static class UdpOptions
{
    public const int SOL_UDP = 17;
    public const int UDP_SEGMENT = 103;
    public const int UDP_GRO = 104;

    /// <summary>Sets UDP_GRO on the socket; false with the errno when the kernel refuses it.</summary>
    public static bool TryEnableGro(Socket socket, out int errno)
    {
        errno = 0;
        try
        {
            socket.SetRawSocketOption(SOL_UDP, UDP_GRO, BitConverter.GetBytes(1));
            return true;
        }
        catch (SocketException e)
        {
            errno = e.NativeErrorCode;
            return false;
        }
    }
}

using System.Net.Sockets;
using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>
/// The kernel's MTU of the path to an endpoint: <c>IP_MTU</c> of a UDP socket connected to it (the route's
/// <c>mtu</c>, a learned path MTU, else the outgoing device's MTU). Connecting a UDP socket sends nothing.
/// </summary>
internal static class PathMtu
{
    private const int SolIp = 0;
    private const int IpMtu = 14;

    /// <summary>The path MTU towards <paramref name="endpoint"/>, or null when the kernel has no route to it.</summary>
    public static int? Towards(IPv4Endpoint endpoint)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Connect(endpoint.Address.ToIPAddress(), endpoint.Port);
            Span<byte> value = stackalloc byte[4];
            return socket.GetRawSocketOption(SolIp, IpMtu, value) == 4 ? BitConverter.ToInt32(value) : null;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}

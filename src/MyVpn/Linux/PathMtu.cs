using System.Net.Sockets;
using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>
/// The kernel's MTU of the path to an endpoint: <c>IP_MTU</c> (<c>IPV6_MTU</c>) of a UDP socket connected to
/// it (the route's <c>mtu</c>, a learned path MTU, else the outgoing device's MTU). Connecting a UDP socket
/// sends nothing.
/// </summary>
internal static class PathMtu
{
    private const int SolIp = 0;
    private const int IpMtu = 14;
    private const int SolIpv6 = 41;
    private const int Ipv6Mtu = 24;

    /// <summary>The path MTU towards <paramref name="endpoint"/>, or null when the kernel has no route to it.</summary>
    public static int? Towards(NetEndpoint endpoint)
    {
        try
        {
            var family = endpoint.IsIPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
            using var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
            socket.Connect(endpoint.ToIPEndPoint());
            Span<byte> value = stackalloc byte[4];
            var read = endpoint.IsIPv6
                ? socket.GetRawSocketOption(SolIpv6, Ipv6Mtu, value)
                : socket.GetRawSocketOption(SolIp, IpMtu, value);
            return read == 4 ? BitConverter.ToInt32(value) : null;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}

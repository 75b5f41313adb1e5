using System.Net;
using System.Net.Sockets;
using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>
/// Opens a UDP or TCP socket of the family an address needs: AF_INET for IPv4, AF_INET6 for IPv6. An AF_INET6
/// socket has IPV6_V6ONLY off, so one bound to :: takes both families (IPv4 peers appear as ::ffff:a.b.c.d,
/// which <see cref="NetEndpoint"/> holds as plain IPv4). For "any address" (the client's socket) it opens
/// such a dual-stack socket when the kernel has IPv6, and an IPv4 one when it has not (ipv6.disable=1).
/// </summary>
internal static class InetSocket
{
    /// <summary>A socket for <paramref name="address"/>'s family, not yet bound.</summary>
    public static Socket For(NetEndpoint address, SocketType type, ProtocolType protocol) =>
        address.IsIPv6 ? DualStack(type, protocol) : new Socket(AddressFamily.InterNetwork, type, protocol);

    /// <summary>A socket that reaches both families, with the address to bind it to for "any address, port 0".</summary>
    public static Socket ForAnyAddress(SocketType type, ProtocolType protocol, out IPAddress any)
    {
        try
        {
            any = IPAddress.IPv6Any;
            return DualStack(type, protocol);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressFamilyNotSupported)
        {
            any = IPAddress.Any;
            return new Socket(AddressFamily.InterNetwork, type, protocol);
        }
    }

    /// <summary>Where to connect or send to <paramref name="endpoint"/> from a socket of <paramref name="socket"/>'s family.</summary>
    public static IPEndPoint Target(Socket socket, NetEndpoint endpoint) =>
        socket.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(endpoint.IPv6.ToIPAddress(), endpoint.Port)
            : endpoint.ToIPEndPoint();

    private static Socket DualStack(SocketType type, ProtocolType protocol)
    {
        var socket = new Socket(AddressFamily.InterNetworkV6, type, protocol);
        socket.DualMode = true;
        return socket;
    }
}

using System.Net;
using System.Net.Sockets;
using MyVpn.Io;
using MyVpn.Linux.Offload;
using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>
/// Opens non-blocking UDP sockets on one local address and has the <see cref="Poller"/> watch each,
/// calling the owner back when datagrams wait. Each socket uses the UDP offloads <paramref name="offloads"/> allows.
/// </summary>
internal sealed class LinuxUdpBinder(Poller poller, IPv4Address localAddress, Offloads? offloads = null) : IDatagramBinder
{
    /// <summary>Asked of the kernel; it caps the value at net.core.[rw]mem_max.</summary>
    private const int SocketBufferBytes = 4 << 20;

    public IDatagramTransport Bind(ushort port, Action<IDatagramTransport> onReadable)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)
        {
            Blocking = false,
            ReceiveBufferSize = SocketBufferBytes,
            SendBufferSize = SocketBufferBytes,
        };
        try
        {
            socket.Bind(new IPEndPoint(localAddress.ToIPAddress(), port));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new PortUnavailableException(port, e.SocketErrorCode.ToString());
        }
        var transport = new LinuxUdpTransport(socket, offloads ?? Offloads.None);
        transport.Watch(poller.Watch(socket.SafeHandle, () => onReadable(transport)));
        return transport;
    }
}

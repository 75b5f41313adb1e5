using System.Net;
using System.Net.Sockets;
using MyVpn.Io;
using MyVpn.Linux.Offload;
using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>
/// Opens non-blocking UDP sockets on one local address and has one of the socket pollers watch each
/// (the one watching fewest), calling the owner back when datagrams wait. A socket stays with its
/// poller for life: one reader thread per socket, so its datagrams are received in order, while
/// different sockets (the server's sessions) are received on different threads. Each socket uses the
/// UDP offloads <paramref name="offloads"/> allows.
/// </summary>
internal sealed class LinuxUdpBinder(IReadOnlyList<Poller> pollers, IPv4Address localAddress, Offloads? offloads = null) : IDatagramBinder
{
    private readonly Lock _lock = new();

    public LinuxUdpBinder(Poller poller, IPv4Address localAddress, Offloads? offloads = null)
        : this([poller], localAddress, offloads)
    {
    }

    /// <summary>The firewall mark of every socket it opens (<see cref="SocketMark"/>); 0: unmarked.</summary>
    public uint FirewallMark { get; init; }

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
            SocketMark.Apply(socket, FirewallMark);
            socket.Bind(new IPEndPoint(localAddress.ToIPAddress(), port));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new PortUnavailableException(port, e.SocketErrorCode.ToString());
        }
        var transport = new LinuxUdpTransport(socket, offloads ?? Offloads.None);
        lock (_lock)
            transport.Watch(LeastBusy().Watch(socket.SafeHandle, () => onReadable(transport)));
        return transport;
    }

    private Poller LeastBusy()
    {
        var best = pollers[0];
        var fewest = best.Watched;
        for (var i = 1; i < pollers.Count; i++)
        {
            var watched = pollers[i].Watched;
            if (watched < fewest)
                (best, fewest) = (pollers[i], watched);
        }
        return best;
    }
}

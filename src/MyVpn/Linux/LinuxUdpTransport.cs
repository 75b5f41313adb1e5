using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using MyVpn.Io;
using MyVpn.Linux.Interop;
using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>
/// A bound UDP socket read and written with <c>recvfrom</c>/<c>sendto</c> directly (MSG_DONTWAIT),
/// so an empty queue is an errno, not an exception, and nothing is allocated per datagram.
/// </summary>
internal sealed class LinuxUdpTransport : IDatagramTransport
{
    private readonly Socket _socket;
    private IDisposable? _watch;
    private long _sendFailures;
    private volatile bool _disposed;

    public LinuxUdpTransport(Socket socket)
    {
        _socket = socket;
        LocalEndpoint = UdpEndpoint.From((IPEndPoint)socket.LocalEndPoint!);
    }

    public UdpEndpoint LocalEndpoint { get; }

    public int BatchSize => 32;

    /// <summary>Datagrams the kernel refused (no route, buffer full…): dropped, as UDP may.</summary>
    public long SendFailures => Interlocked.Read(ref _sendFailures);

    internal void Watch(IDisposable watch) => _watch = watch;

    public unsafe int Receive(Span<PacketBuffer> datagrams)
    {
        var count = 0;
        try
        {
            while (count < datagrams.Length && !_disposed)
            {
                var datagram = datagrams[count];
                var room = datagram.Writable;
                SockAddrIn from = default;
                var fromLength = SockAddrIn.Size;
                nint n;
                fixed (byte* p = room)
                    n = LibC.RecvFrom(_socket.SafeHandle, p, (nuint)room.Length, LibC.MSG_DONTWAIT, &from, &fromLength);
                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == Errno.EAGAIN)
                        break;
                    continue; // EINTR, or an ICMP error reported on the socket: consumed, go on
                }
                datagram.Length = (int)n;
                datagram.Endpoint = from.ToEndpoint();
                count++;
            }
        }
        catch (ObjectDisposedException)
        {
        }
        return count;
    }

    public unsafe void Send(ReadOnlySpan<PacketBuffer> datagrams)
    {
        try
        {
            foreach (var datagram in datagrams)
            {
                var to = SockAddrIn.From(datagram.Endpoint);
                var bytes = datagram.Span;
                nint n;
                fixed (byte* p = bytes)
                    n = LibC.SendTo(_socket.SafeHandle, p, (nuint)bytes.Length, LibC.MSG_DONTWAIT, &to, SockAddrIn.Size);
                if (n < 0)
                    Interlocked.Increment(ref _sendFailures);
            }
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _watch?.Dispose();
        _socket.Dispose();
    }
}

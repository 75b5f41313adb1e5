using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using MyVpn.Io;
using MyVpn.Linux.Interop;
using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>
/// A bound UDP socket read and written a batch per system call: <c>recvmmsg</c> fills up to
/// <see cref="BatchSize"/> buffers, <c>sendmmsg</c> sends up to as many (MSG_DONTWAIT, so an empty
/// queue is an errno, not an exception). Nothing is allocated per datagram: the message headers,
/// iovecs and addresses are preallocated and pinned (<see cref="DatagramVector"/>), as is every
/// <see cref="PacketBuffer"/>'s data. Receive and Send may run on different threads.
/// </summary>
internal sealed class LinuxUdpTransport : IDatagramTransport
{
    /// <summary>Datagrams per recvmmsg/sendmmsg call.</summary>
    public const int MaxBatch = 64;

    /// <summary>Errors (pending ICMP errors, EINTR) one Receive skips before it gives up until the next wake-up.</summary>
    private const int MaxReceiveRetries = 8;

    private readonly Socket _socket;
    private readonly Lock _receiveLock = new();
    private readonly Lock _sendLock = new();
    private readonly DatagramVector _received = new(MaxBatch);
    private readonly DatagramVector _sent = new(MaxBatch);
    private IDisposable? _watch;
    private long _sendFailures;
    private bool _drained;
    private volatile bool _disposed;

    public LinuxUdpTransport(Socket socket)
    {
        _socket = socket;
        LocalEndpoint = UdpEndpoint.From((IPEndPoint)socket.LocalEndPoint!);
    }

    public UdpEndpoint LocalEndpoint { get; }

    public int BatchSize => MaxBatch;

    /// <summary>Datagrams the kernel refused (no route, buffer full…): dropped, as UDP may.</summary>
    public long SendFailures => Interlocked.Read(ref _sendFailures);

    internal void Watch(IDisposable watch) => _watch = watch;

    /// <summary>
    /// One recvmmsg. When it returned fewer datagrams than asked for, the queue was empty, and the next
    /// call returns 0 without a system call: the engine receives until 0, and a datagram that arrived in
    /// between is reported by the poller's next (level-triggered) poll. One recvmmsg less per wake-up.
    /// </summary>
    public unsafe int Receive(Span<PacketBuffer> datagrams)
    {
        lock (_receiveLock)
        {
            var count = Math.Min(datagrams.Length, MaxBatch);
            if (count == 0 || _disposed)
                return 0;
            if (_drained)
            {
                _drained = false;
                return 0;
            }
            for (var i = 0; i < count; i++)
                _received.PrepareReceive(i, datagrams[i]);
            int received;
            try
            {
                var retries = 0;
                while ((received = LibC.RecvMmsg(_socket.SafeHandle, _received.Messages, (uint)count, LibC.MSG_DONTWAIT, null)) < 0)
                {
                    // EINTR, or an ICMP error reported on the socket (consumed by this call): try again
                    if (Marshal.GetLastPInvokeError() == Errno.EAGAIN || ++retries > MaxReceiveRetries)
                        return 0;
                }
            }
            catch (ObjectDisposedException)
            {
                return 0;
            }
            for (var i = 0; i < received; i++)
            {
                datagrams[i].Length = _received.ReceivedLength(i);
                datagrams[i].Endpoint = _received.Sender(i);
            }
            _drained = received < count;
            return received;
        }
    }

    public unsafe void Send(ReadOnlySpan<PacketBuffer> datagrams)
    {
        lock (_sendLock)
        {
            try
            {
                for (var start = 0; start < datagrams.Length && !_disposed; start += MaxBatch)
                {
                    var count = Math.Min(datagrams.Length - start, MaxBatch);
                    for (var i = 0; i < count; i++)
                        _sent.PrepareSend(i, datagrams[start + i]);
                    var done = 0;
                    while (done < count)
                    {
                        var n = LibC.SendMmsg(_socket.SafeHandle, _sent.Messages + done, (uint)(count - done), LibC.MSG_DONTWAIT);
                        if (n > 0)
                        {
                            done += n;
                        }
                        else if (n < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR)
                        {
                            continue;
                        }
                        else
                        {
                            // the first datagram of the rest failed (buffer full, no route…): drop it, send the others
                            Interlocked.Increment(ref _sendFailures);
                            done++;
                        }
                    }
                }
            }
            catch (ObjectDisposedException)
            {
            }
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

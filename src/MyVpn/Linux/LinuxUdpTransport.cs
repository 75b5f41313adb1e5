using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using MyVpn.Io;
using MyVpn.Linux.Interop;
using MyVpn.Linux.Offload;
using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>
/// A bound UDP socket read and written a batch per system call: <c>recvmmsg</c> fills up to
/// <see cref="BatchSize"/> buffers, <c>sendmmsg</c> sends up to as many (MSG_DONTWAIT, so an empty
/// queue is an errno, not an exception). Nothing is allocated per datagram: the message headers,
/// iovecs and addresses are preallocated and pinned (<see cref="DatagramVector"/>), as is every
/// <see cref="PacketBuffer"/>'s data. Those argument arrays belong to the calling thread, not the socket:
/// a server has a socket per session but a handful of threads, so an idle session's socket holds none. Receive and Send may run on different threads, and Send on
/// several at once (each call holds the send lock).
/// With offloads: runs of same-sized datagrams to one endpoint go as one message with UDP_SEGMENT
/// (<see cref="UdpGsoVector"/>; the kernel splits them again), and the socket has UDP_GRO, so the kernel
/// may hand over up to 64 datagrams of one sender as one message, split here into the batch's buffers
/// (<see cref="GroReceiveArea"/>).
/// </summary>
internal sealed class LinuxUdpTransport : IDatagramTransport
{
    /// <summary>Datagrams per recvmmsg/sendmmsg call.</summary>
    public const int MaxBatch = 64;

    /// <summary>Errors (pending ICMP errors, EINTR) one Receive skips before it gives up until the next wake-up.</summary>
    private const int MaxReceiveRetries = 8;

    private readonly Socket _socket;
    // The recvmmsg and sendmmsg arguments for a batch (about 6 KB each way, 8 KB for GSO sends), one set per
    // thread: a call uses its thread's set only while it runs, and never two calls at once on one thread.
    [ThreadStatic]
    private static DatagramVector? t_received;
    [ThreadStatic]
    private static DatagramVector? t_sent;
    [ThreadStatic]
    private static UdpGsoVector? t_gsoSent;

    private readonly Lock _receiveLock = new();
    private readonly Lock _sendLock = new();
    private readonly bool _ipv6; // AF_INET6: IPv4 peers are addressed as ::ffff:a.b.c.d
    private readonly Offloads _offloads;
    private readonly bool _gso;
    private readonly bool _gro;
    private GroReceiveArea? _groArea;
    private IDisposable? _watch;
    private long _sendFailures;
    private bool _drained;
    private volatile bool _disposed;

    public LinuxUdpTransport(Socket socket) : this(socket, Offloads.None)
    {
    }

    public LinuxUdpTransport(Socket socket, Offloads offloads)
    {
        _socket = socket;
        _offloads = offloads;
        LocalEndpoint = NetEndpoint.From((IPEndPoint)socket.LocalEndPoint!);
        _ipv6 = socket.AddressFamily == AddressFamily.InterNetworkV6;
        _gso = offloads.UdpGso;
        if (offloads.UdpGro)
        {
            _gro = UdpOptions.TryEnableGro(socket, out var errno);
            if (!_gro)
                offloads.GroRefused(errno);
        }
    }

    public NetEndpoint LocalEndpoint { get; }

    public int BatchSize => MaxBatch;

    /// <summary>Datagrams the kernel refused (no route, buffer full…), all reasons together: dropped, as UDP may (each <see cref="Send"/> reports its own by reason).</summary>
    public long SendFailures => Interlocked.Read(ref _sendFailures);

    /// <summary>Messages received that carried several datagrams coalesced by UDP GRO.</summary>
    public long CoalescedReceived { get; private set; }

    /// <summary>Messages sent that carried several datagrams with UDP_SEGMENT.</summary>
    public long SegmentedSent { get; private set; }

    internal void Watch(IDisposable watch) => _watch = watch;

    /// <summary>
    /// One recvmmsg. When it returned fewer datagrams than asked for, the queue was empty, and the next
    /// call returns 0 without a system call (<c>_drained</c>): the engine receives until 0, and a datagram
    /// that arrived in between is reported by the poller's next poll. One recvmmsg less per wake-up. After
    /// <see cref="MaxReceiveRetries"/> errors in a row it also returns 0 and leaves the rest to the next poll.
    /// Both rely on readiness being level-triggered, as <see cref="IDatagramTransport"/>'s contract states and
    /// <see cref="Poller"/> provides.
    /// </summary>
    public unsafe int Receive(Span<PacketBuffer> datagrams)
    {
        lock (_receiveLock)
        {
            var count = Math.Min(datagrams.Length, MaxBatch);
            if (count == 0 || _disposed)
                return 0;
            if (_gro)
                return ReceiveCoalesced(datagrams);
            if (_drained)
            {
                _drained = false;
                return 0;
            }
            var vector = t_received ??= new DatagramVector(MaxBatch);
            for (var i = 0; i < count; i++)
                vector.PrepareReceive(i, datagrams[i]);
            int received;
            try
            {
                var retries = 0;
                while ((received = LibC.RecvMmsg(_socket.SafeHandle, vector.Messages, (uint)count, LibC.MSG_DONTWAIT, null)) < 0)
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
                datagrams[i].Length = vector.ReceivedLength(i);
                datagrams[i].Endpoint = vector.Sender(i);
            }
            _drained = received < count;
            return received;
        }
    }

    /// <summary>
    /// Receive with UDP_GRO: datagrams left from the last recvmmsg first, then (room left, queue not known
    /// to be empty) one recvmmsg of up to <see cref="GroReceiveArea.Messages"/> messages into a rented area.
    /// </summary>
    private unsafe int ReceiveCoalesced(Span<PacketBuffer> datagrams)
    {
        var count = _groArea?.Emit(datagrams, 0) ?? 0;
        if (count == datagrams.Length)
            return count;
        if (_drained)
        {
            if (count == 0)
                _drained = false; // else: the next call answers 0, the queue was empty then too
            ReleaseGroAreaIfDone();
            return count;
        }
        var area = _groArea ??= GroReceiveArea.Rent();
        var asked = Math.Min(GroReceiveArea.Messages, datagrams.Length - count);
        int received;
        try
        {
            var retries = 0;
            while ((received = LibC.RecvMmsg(_socket.SafeHandle, area.Prepare(asked), (uint)asked, LibC.MSG_DONTWAIT, null)) < 0)
            {
                if (Marshal.GetLastPInvokeError() == Errno.EAGAIN || ++retries > MaxReceiveRetries)
                {
                    _drained = count > 0;
                    ReleaseGroAreaIfDone();
                    return count;
                }
            }
        }
        catch (ObjectDisposedException)
        {
            return count;
        }
        area.Received(received);
        CoalescedReceived += area.CoalescedInLastReceive;
        count += area.Emit(datagrams, count);
        _drained = received < asked;
        ReleaseGroAreaIfDone();
        return count;
    }

    private void ReleaseGroAreaIfDone()
    {
        if (_groArea is { HasPending: false } area)
        {
            _groArea = null;
            GroReceiveArea.Return(area);
        }
    }

    /// <summary>
    /// Sends the batch with sendmmsg, in calls of up to <see cref="MaxBatch"/> datagrams (with GSO, runs to one
    /// endpoint as one message each). What the kernel refuses is dropped and reported by reason, as
    /// <see cref="UdpSendLoop"/> describes (a partial count: the rest goes again once; a full send buffer or no
    /// kernel buffers: the rest of the call is dropped; an error of one datagram: that one is dropped).
    /// </summary>
    public SendResult Send(ReadOnlySpan<PacketBuffer> datagrams)
    {
        SendResult result;
        lock (_sendLock)
        {
            result = _gso && _offloads.UdpGso ? SendSegmented(datagrams) : SendEach(datagrams);
        }
        if (result.Dropped > 0)
            Interlocked.Add(ref _sendFailures, result.Dropped);
        return result;
    }

    /// <summary>
    /// Sends with UDP GSO: each sendmmsg carries up to <see cref="MaxBatch"/> datagrams as messages of one
    /// run each. A run the kernel refuses as a whole for GSO reasons
    /// (EMSGSIZE: a segment larger than the path MTU, which without GSO would be fragmented; EIO: the route's
    /// device cannot checksum; EINVAL: more segments than this kernel takes) goes again datagram by datagram,
    /// and GSO is off from then on; any other failure drops that message's datagrams, as UDP may.
    /// </summary>
    private unsafe SendResult SendSegmented(ReadOnlySpan<PacketBuffer> datagrams)
    {
        var result = new SendResult();
        var vector = t_gsoSent ??= new UdpGsoVector(MaxBatch);
        try
        {
            var start = 0;
            while (start < datagrams.Length && !_disposed)
            {
                var batch = datagrams[start..];
                var taken = vector.Prepare(batch, _ipv6);
                var sender = new SegmentedSender(this, vector, batch);
                UdpSendLoop.Run(ref sender, vector.MessageCount, ref result);
                start += taken;
            }
        }
        catch (ObjectDisposedException)
        {
        }
        return result;
    }

    private unsafe SendResult SendEach(ReadOnlySpan<PacketBuffer> datagrams)
    {
        var result = new SendResult();
        try
        {
            var vector = t_sent ??= new DatagramVector(MaxBatch);
            for (var start = 0; start < datagrams.Length && !_disposed; start += MaxBatch)
            {
                var count = Math.Min(datagrams.Length - start, MaxBatch);
                for (var i = 0; i < count; i++)
                    vector.PrepareSend(i, datagrams[start + i], _ipv6);
                var sender = new EachSender(_socket.SafeHandle, vector.Messages);
                UdpSendLoop.Run(ref sender, count, ref result);
            }
        }
        catch (ObjectDisposedException)
        {
        }
        return result;
    }

    /// <summary>sendmmsg of one datagram per message.</summary>
    private readonly unsafe struct EachSender(SafeHandle socket, MMsgHdr* messages) : IMessageSender
    {
        public int Send(int first, int count, out int errno)
        {
            var n = LibC.SendMmsg(socket, messages + first, (uint)count, LibC.MSG_DONTWAIT);
            errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
            return n;
        }

        public int Datagrams(int message) => 1;

        public bool SendOtherwise(int message, int errno, ref SendResult result) => false;
    }

    /// <summary>sendmmsg of GSO runs: a run refused for GSO's sake goes again datagram by datagram.</summary>
    private unsafe ref struct SegmentedSender : IMessageSender
    {
        private readonly LinuxUdpTransport _transport;
        private readonly UdpGsoVector _vector;
        private readonly ReadOnlySpan<PacketBuffer> _batch;

        public SegmentedSender(LinuxUdpTransport transport, UdpGsoVector vector, ReadOnlySpan<PacketBuffer> batch)
        {
            _transport = transport;
            _vector = vector;
            _batch = batch;
        }

        public int Send(int first, int count, out int errno)
        {
            var n = LibC.SendMmsg(_transport._socket.SafeHandle, _vector.Messages + first, (uint)count, LibC.MSG_DONTWAIT);
            errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
            for (var m = first; m < first + n; m++)
                if (_vector.Run(m).Length > 1)
                    _transport.SegmentedSent++;
            return n;
        }

        public int Datagrams(int message) => _vector.Run(message).Length;

        public bool SendOtherwise(int message, int errno, ref SendResult result)
        {
            var (start, length) = _vector.Run(message);
            if (length < 2 || errno is not (Errno.EIO or Errno.EINVAL or Errno.EMSGSIZE or Errno.EOPNOTSUPP))
                return false;
            _transport._offloads.GsoRefused(errno);
            result.Add(_transport.SendEach(_batch.Slice(start, length)));
            return true;
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

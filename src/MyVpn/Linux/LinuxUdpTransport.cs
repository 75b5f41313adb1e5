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

    /// <summary>Datagrams the kernel refused (no route, buffer full…): dropped, as UDP may.</summary>
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

    public unsafe void Send(ReadOnlySpan<PacketBuffer> datagrams)
    {
        lock (_sendLock)
        {
            if (_gso && _offloads.UdpGso)
            {
                SendSegmented(datagrams);
                return;
            }
            SendEach(datagrams);
        }
    }

    /// <summary>
    /// Sends with UDP GSO: each sendmmsg carries up to <see cref="MaxBatch"/> datagrams as messages of one
    /// run each. A run the kernel refuses as a whole for GSO reasons
    /// (EMSGSIZE: a segment larger than the path MTU, which without GSO would be fragmented; EIO: the route's
    /// device cannot checksum; EINVAL: more segments than this kernel takes) goes again datagram by datagram,
    /// and GSO is off from then on; any other failure drops that message's datagrams, as UDP may.
    /// </summary>
    private unsafe void SendSegmented(ReadOnlySpan<PacketBuffer> datagrams)
    {
        var vector = t_gsoSent ??= new UdpGsoVector(MaxBatch);
        try
        {
            var start = 0;
            while (start < datagrams.Length && !_disposed)
            {
                var batch = datagrams[start..];
                var taken = vector.Prepare(batch);
                var messages = vector.MessageCount;
                var done = 0;
                while (done < messages)
                {
                    var n = LibC.SendMmsg(_socket.SafeHandle, vector.Messages + done, (uint)(messages - done), LibC.MSG_DONTWAIT);
                    if (n > 0)
                    {
                        for (var m = done; m < done + n; m++)
                            if (vector.Run(m).Length > 1)
                                SegmentedSent++;
                        done += n;
                        continue;
                    }
                    var errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
                    if (errno == Errno.EINTR)
                        continue;
                    var (runStart, runLength) = vector.Run(done);
                    if (runLength > 1 && errno is Errno.EIO or Errno.EINVAL or Errno.EMSGSIZE or Errno.EOPNOTSUPP)
                    {
                        _offloads.GsoRefused(errno);
                        SendEach(batch.Slice(runStart, runLength));
                    }
                    else
                    {
                        Interlocked.Add(ref _sendFailures, runLength);
                    }
                    done++;
                }
                start += taken;
            }
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private unsafe void SendEach(ReadOnlySpan<PacketBuffer> datagrams)
    {
        try
        {
            var vector = t_sent ??= new DatagramVector(MaxBatch);
            for (var start = 0; start < datagrams.Length && !_disposed; start += MaxBatch)
            {
                var count = Math.Min(datagrams.Length - start, MaxBatch);
                for (var i = 0; i < count; i++)
                    vector.PrepareSend(i, datagrams[start + i]);
                var done = 0;
                while (done < count)
                {
                    var n = LibC.SendMmsg(_socket.SafeHandle, vector.Messages + done, (uint)(count - done), LibC.MSG_DONTWAIT);
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

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _watch?.Dispose();
        _socket.Dispose();
    }
}

using MyVpn.Io;
using MyVpn.Net;

namespace MyVpn.Sim;

/// <summary>
/// A bound UDP port on a <see cref="SimHost"/>. Arriving datagrams queue (up to a receive buffer's
/// worth) and the owner's <c>onReadable</c> runs as a clock event; <see cref="Send"/> hands copies to
/// the network (or refuses them while the host's <see cref="SimHost.SendFault"/> lasts). Closed by <see cref="Dispose"/> or by a host restart; a closed socket neither sends
/// nor receives.
/// </summary>
internal sealed class SimDatagramTransport(SimHost host, ushort port, Action<IDatagramTransport> onReadable, int batchSize)
    : IDatagramTransport
{
    /// <summary>Datagrams a socket holds before it drops (like SO_RCVBUF).</summary>
    public const int ReceiveQueueCapacity = 1024;

    private readonly Queue<(NetEndpoint From, byte[] Bytes)> _received = new();
    private bool _notifyPending;

    public ushort Port { get; } = port;
    public bool Closed { get; private set; }
    public NetEndpoint LocalEndpoint => new(host.Address, Port);
    public int BatchSize => batchSize;

    public int Receive(Span<PacketBuffer> datagrams)
    {
        var count = 0;
        while (count < datagrams.Length && _received.TryDequeue(out var datagram))
        {
            var buffer = datagrams[count];
            var length = Math.Min(datagram.Bytes.Length, buffer.Data.Length - buffer.Offset); // truncates like MSG_TRUNC
            datagram.Bytes.AsSpan(0, length).CopyTo(buffer.Data.AsSpan(buffer.Offset));
            buffer.Length = length;
            buffer.Endpoint = datagram.From;
            count++;
        }
        return count;
    }

    /// <summary>
    /// Hands each datagram to the network, unless the host's sends fail now (<see cref="SimHost.SendFault"/>):
    /// then the refused ones are reported by reason, and counted on the host, as the Linux socket reports them.
    /// </summary>
    public SendResult Send(ReadOnlySpan<PacketBuffer> datagrams)
    {
        if (Closed)
            return default;
        var fault = host.SendFault;
        var taken = fault?.Taken(datagrams.Length) ?? datagrams.Length;
        var result = new SendResult();
        for (var i = 0; i < datagrams.Length; i++)
        {
            var datagram = datagrams[i];
            if (fault?.Refuse(i, taken, datagram.Length) is { } reason)
            {
                result.Drop(reason);
                continue;
            }
            host.Network.SendDatagram(host, LocalEndpoint, datagram.Endpoint, datagram.Span);
            result.Sent++;
        }
        if (result.Dropped > 0)
            host.CountRefusedSends(result);
        return result;
    }

    public void Dispose()
    {
        if (Closed)
            return;
        Closed = true;
        _received.Clear();
        host.Unbind(this);
    }

    /// <summary>The host closes the socket under its owner (restart).</summary>
    internal void CloseByHost()
    {
        Closed = true;
        _received.Clear();
    }

    /// <summary>A datagram arrived; false when it had to be dropped.</summary>
    internal bool Enqueue(NetEndpoint from, byte[] bytes)
    {
        if (Closed || _received.Count >= ReceiveQueueCapacity)
            return false;
        _received.Enqueue((from, bytes));
        if (!_notifyPending)
        {
            _notifyPending = true;
            host.Network.Clock.Schedule(TimeSpan.Zero, Notify);
        }
        return true;
    }

    private void Notify()
    {
        _notifyPending = false;
        if (!Closed && _received.Count > 0)
            onReadable(this);
    }
}

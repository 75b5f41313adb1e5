using MyVpn.Io;

namespace MyVpn.Tunnel;

/// <summary>
/// Sealed datagrams collected while an engine works through a batch, sent together at the end:
/// one <see cref="IDatagramTransport.Send"/> per socket per batch (one sendmmsg on Linux), not
/// one per packet. The buffers must stay untouched until <see cref="Flush"/>.
/// </summary>
internal sealed class OutgoingDatagrams
{
    private readonly PacketBuffer[] _datagrams;
    private readonly Destination[] _transports;
    private readonly PacketBuffer[] _group;
    private int _count;
    private bool _mixed;

    public OutgoingDatagrams(int capacity)
    {
        _datagrams = new PacketBuffer[capacity];
        _transports = new Destination[capacity];
        _group = new PacketBuffer[capacity];
    }

    /// <summary>
    /// A transport in a struct: storing an interface reference into an array of the interface type costs
    /// a covariance type check per store (the array might be of a more derived type); a struct's field does not.
    /// </summary>
    private struct Destination
    {
        public IDatagramTransport Transport;
    }

    /// <summary>Queues a sealed datagram (its endpoint set) for <paramref name="transport"/>; flushes first when full.</summary>
    public void Add(PacketBuffer datagram, IDatagramTransport transport)
    {
        if (_count == _datagrams.Length)
            Flush();
        if (_count > 0 && !ReferenceEquals(_transports[0].Transport, transport))
            _mixed = true;
        _datagrams[_count] = datagram;
        _transports[_count].Transport = transport;
        _count++;
    }

    /// <summary>
    /// Sends what is queued, one call per transport, each in the order the datagrams were added, and returns
    /// what the sends did together (the caller counts the refused ones as drops).
    /// The queue is empty afterwards even if a send throws, so no datagram is ever sent twice.
    /// </summary>
    public SendResult Flush()
    {
        var queued = _count;
        if (queued == 0)
            return default;
        var mixed = _mixed;
        _count = 0;
        _mixed = false;
        try
        {
            return mixed
                ? SendGrouped(queued)
                : _transports[0].Transport.Send(_datagrams.AsSpan(0, queued)); // one transport (a client always; a server's batch usually): no regrouping
        }
        finally
        {
            // only the slots this flush used hold references (a quiet tunnel sends one datagram per wake-up)
            Array.Clear(_datagrams, 0, queued);
            Array.Clear(_transports, 0, queued);
            if (mixed)
                Array.Clear(_group, 0, queued);
        }
    }

    private SendResult SendGrouped(int remaining)
    {
        var result = new SendResult();
        while (remaining > 0)
        {
            var transport = _transports[0].Transport;
            var grouped = 0;
            var kept = 0;
            for (var i = 0; i < remaining; i++)
            {
                if (ReferenceEquals(_transports[i].Transport, transport))
                {
                    _group[grouped++] = _datagrams[i];
                }
                else
                {
                    _datagrams[kept] = _datagrams[i];
                    _transports[kept++] = _transports[i];
                }
            }
            result.Add(transport.Send(_group.AsSpan(0, grouped)));
            remaining = kept;
        }
        return result;
    }
}

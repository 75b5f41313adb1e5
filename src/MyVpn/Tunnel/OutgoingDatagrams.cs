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
    private readonly PacketBuffer[] _laterDatagrams;
    private readonly Destination[] _laterTransports;
    private int _count;

    public OutgoingDatagrams(int capacity)
    {
        _datagrams = new PacketBuffer[capacity];
        _transports = new Destination[capacity];
        _laterDatagrams = new PacketBuffer[capacity];
        _laterTransports = new Destination[capacity];
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
        _datagrams[_count] = datagram;
        _transports[_count].Transport = transport;
        _count++;
    }

    /// <summary>
    /// Sends what is queued, one call per transport, each in the order the datagrams were added, and returns
    /// what the sends did together (the caller counts the refused ones as drops).
    /// The queue is empty afterwards even if a send throws, so no datagram is ever sent twice, and it keeps
    /// no reference to a datagram or a transport it sent.
    /// </summary>
    /// <remarks>
    /// Each round sends the datagrams of the first queued transport: they move up to the front in place (with
    /// one transport, a client's always and a server's batch usually, each stays where it is and the queue is
    /// sent as it is), the others wait in the second pair of arrays and move back for the next round.
    /// </remarks>
    public SendResult Flush()
    {
        var queued = _count;
        _count = 0;
        var result = new SendResult();
        try
        {
            var remaining = queued;
            while (remaining > 0)
            {
                var transport = _transports[0].Transport;
                var grouped = 0;
                var kept = 0;
                for (var i = 0; i < remaining; i++)
                {
                    if (ReferenceEquals(_transports[i].Transport, transport))
                    {
                        _datagrams[grouped++] = _datagrams[i];
                    }
                    else
                    {
                        _laterDatagrams[kept] = _datagrams[i];
                        _laterTransports[kept++] = _transports[i];
                    }
                }
                result.Add(transport.Send(_datagrams.AsSpan(0, grouped)));
                _laterDatagrams.AsSpan(0, kept).CopyTo(_datagrams);
                _laterTransports.AsSpan(0, kept).CopyTo(_transports);
                remaining = kept;
            }
            return result;
        }
        finally
        {
            // only the slots this flush used hold references (a quiet tunnel sends one datagram per wake-up)
            Array.Clear(_datagrams, 0, queued);
            Array.Clear(_transports, 0, queued);
            Array.Clear(_laterDatagrams, 0, queued);
            Array.Clear(_laterTransports, 0, queued);
        }
    }
}

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
    private readonly IDatagramTransport[] _transports;
    private readonly PacketBuffer[] _group;
    private int _count;

    public OutgoingDatagrams(int capacity)
    {
        _datagrams = new PacketBuffer[capacity];
        _transports = new IDatagramTransport[capacity];
        _group = new PacketBuffer[capacity];
    }

    /// <summary>Queues a sealed datagram (its endpoint set) for <paramref name="transport"/>; flushes first when full.</summary>
    public void Add(PacketBuffer datagram, IDatagramTransport transport)
    {
        if (_count == _datagrams.Length)
            Flush();
        _datagrams[_count] = datagram;
        _transports[_count] = transport;
        _count++;
    }

    /// <summary>
    /// Sends what is queued, one call per transport, each in the order the datagrams were added.
    /// The queue is empty afterwards even if a send throws, so no datagram is ever sent twice.
    /// </summary>
    public void Flush()
    {
        var queued = _count;
        if (queued == 0)
            return;
        _count = 0;
        try
        {
            SendGrouped(queued);
        }
        finally
        {
            // only the slots this flush used hold references (a quiet tunnel sends one datagram per wake-up)
            Array.Clear(_datagrams, 0, queued);
            Array.Clear(_transports, 0, queued);
            Array.Clear(_group, 0, queued);
        }
    }

    private void SendGrouped(int remaining)
    {
        while (remaining > 0)
        {
            var transport = _transports[0];
            var grouped = 0;
            var kept = 0;
            for (var i = 0; i < remaining; i++)
            {
                if (ReferenceEquals(_transports[i], transport))
                {
                    _group[grouped++] = _datagrams[i];
                }
                else
                {
                    _datagrams[kept] = _datagrams[i];
                    _transports[kept++] = _transports[i];
                }
            }
            transport.Send(_group.AsSpan(0, grouped));
            remaining = kept;
        }
    }
}

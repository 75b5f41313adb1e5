using MyVpn.Io;

namespace MyVpn.Tunnel;

/// <summary>
/// What one data-path thread works in while it moves a batch: the buffers it reads or receives into,
/// the packets bound for tun and the sealed datagrams bound for sockets. Owned by one thread at a
/// time (a direction's lock, or rented from a <see cref="ScratchPool"/>), never shared mid-batch.
/// </summary>
internal sealed class DataPathScratch
{
    public DataPathScratch(int count, int capacity)
    {
        Batch = new PacketBuffer[count];
        for (var i = 0; i < count; i++)
            Batch[i] = new PacketBuffer(capacity);
        ToTun = new PacketBuffer[count];
        Outgoing = new OutgoingDatagrams(count);
        Used = count;
    }

    /// <summary>
    /// How many buffers at the start of <see cref="Batch"/> may have changed since they were last readied for a
    /// read (all of them at first: a new buffer is readied for tun, a receive wants another offset).
    /// </summary>
    public int Used { get; set; }

    public PacketBuffer[] Batch { get; }
    public PacketBuffer[] ToTun { get; }
    public OutgoingDatagrams Outgoing { get; }

    /// <summary>The size of each buffer.</summary>
    public int Capacity => Batch[0].Data.Length;
}

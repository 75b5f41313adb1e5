namespace MyVpn.Io;

/// <summary>
/// A pool of <see cref="PacketBuffer"/>s of one capacity. Safe to use from several threads;
/// renting and returning allocate nothing once the pool is warm.
/// </summary>
public sealed class PacketPool
{
    /// <summary>Large enough for a 1500-byte datagram plus headroom, or a full tun packet plus tag.</summary>
    public const int DefaultCapacity = 2048;

    private readonly Stack<PacketBuffer> _free = new();
    private readonly int _capacity;
    private readonly int _maxRetained;

    public PacketPool(int capacity = DefaultCapacity, int maxRetained = 4096)
    {
        _capacity = capacity;
        _maxRetained = maxRetained;
    }

    public int Capacity => _capacity;

    public PacketBuffer Rent()
    {
        lock (_free)
        {
            if (_free.TryPop(out var buffer))
                return buffer;
        }
        return new PacketBuffer(_capacity);
    }

    public void Return(PacketBuffer buffer)
    {
        buffer.Reset();
        lock (_free)
        {
            if (_free.Count < _maxRetained)
                _free.Push(buffer);
        }
    }
}

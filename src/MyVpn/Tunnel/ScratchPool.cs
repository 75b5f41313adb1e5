namespace MyVpn.Tunnel;

/// <summary>
/// Scratch for the server's socket threads: each callback rents one set and gives it back, so as many
/// sets exist as threads were ever inside at once (a handful), and none is allocated per packet.
/// Rent and return take a lock once per wake-up, not per packet.
/// </summary>
internal sealed class ScratchPool(int count, int capacity)
{
    private readonly Lock _lock = new();
    private readonly Stack<DataPathScratch> _free = new();

    public DataPathScratch Rent()
    {
        lock (_lock)
        {
            if (_free.TryPop(out var scratch))
                return scratch;
        }
        return new DataPathScratch(count, capacity);
    }

    public void Return(DataPathScratch scratch)
    {
        lock (_lock)
            _free.Push(scratch);
    }
}

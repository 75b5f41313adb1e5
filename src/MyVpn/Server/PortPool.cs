namespace MyVpn.Server;

/// <summary>Hands out the server's session ports from a range, lowest free first.</summary>
public sealed class PortPool
{
    private readonly ushort _first;
    private readonly ushort _last;
    private readonly SortedSet<ushort> _free = [];
    private readonly HashSet<ushort> _inUse = [];
    private int _nextUnused;

    public PortPool(ushort first, ushort last)
    {
        if (first == 0 || last < first)
            throw new ArgumentException($"port range {first}-{last} is empty or starts at 0");
        _first = first;
        _last = last;
        _nextUnused = first;
    }

    public int InUse => _inUse.Count;

    public bool TryAllocate(out ushort port)
    {
        if (_free.Count > 0)
        {
            port = _free.Min;
            _free.Remove(port);
        }
        else if (_nextUnused <= _last)
        {
            port = (ushort)_nextUnused++;
        }
        else
        {
            port = 0;
            return false;
        }
        _inUse.Add(port);
        return true;
    }

    public void Release(ushort port)
    {
        if (_inUse.Remove(port) && port >= _first && port <= _last)
            _free.Add(port);
    }

    /// <summary>The port could not be bound (something else holds it): keep it out of circulation.</summary>
    public void Retire(ushort port) => _inUse.Remove(port);
}

using MyVpn.Net;

namespace MyVpn.Server;

/// <summary>
/// Hands out the subnet's host addresses: the lowest free one (so clients get .2, .3, … in
/// connection order), or the one a client asks for when it is free. The server's own address and
/// clients' static addresses are never handed out dynamically.
/// </summary>
public sealed class AddressPool
{
    private readonly IPv4Subnet _subnet;
    private readonly IPv4Address _serverAddress;
    private HashSet<IPv4Address> _reserved;
    private readonly HashSet<IPv4Address> _inUse = [];
    private readonly SortedSet<int> _released = [];
    private int _nextUnused = 1;

    public AddressPool(IPv4Subnet subnet, IPv4Address serverAddress, IEnumerable<IPv4Address> staticAddresses)
    {
        _subnet = subnet;
        _serverAddress = serverAddress;
        _reserved = [serverAddress, .. staticAddresses];
    }

    /// <summary>
    /// The clients' static addresses changed (a reload): these are now kept out of dynamic allocation. An
    /// address no longer reserved and not in use goes back to the dynamic pool; one in use stays with its
    /// session until released.
    /// </summary>
    public void Reserve(IEnumerable<IPv4Address> staticAddresses)
    {
        var old = _reserved;
        _reserved = [_serverAddress, .. staticAddresses];
        foreach (var address in old)
        {
            if (_reserved.Contains(address) || _inUse.Contains(address) || !IsHost(address))
                continue;
            var n = (int)(address.Value - _subnet.Network.Value);
            if (n < _nextUnused)
                _released.Add(n);
        }
    }

    public int InUse => _inUse.Count;

    /// <summary>Takes <paramref name="requested"/> if it is a free, dynamic host of the subnet, else the lowest free address.</summary>
    public bool TryAllocate(IPv4Address requested, out IPv4Address address)
    {
        if (IsHost(requested) && !_reserved.Contains(requested) && _inUse.Add(requested))
        {
            address = requested;
            return true;
        }
        while (_released.Count > 0)
        {
            var n = _released.Min;
            _released.Remove(n);
            if (Take(n, out address))
                return true;
        }
        while (_nextUnused <= _subnet.HostCount)
        {
            if (Take(_nextUnused++, out address))
                return true;
        }
        address = default;
        return false;
    }

    /// <summary>Takes a static address (configured for one client); false if it is outside the subnet or held.</summary>
    public bool TryAllocateStatic(IPv4Address address) => IsHost(address) && _inUse.Add(address);

    public void Release(IPv4Address address)
    {
        if (!_inUse.Remove(address) || _reserved.Contains(address))
            return;
        var n = (int)(address.Value - _subnet.Network.Value);
        if (n < _nextUnused)
            _released.Add(n);
    }

    private bool Take(int n, out IPv4Address address)
    {
        address = _subnet.Host(n);
        return !_reserved.Contains(address) && _inUse.Add(address);
    }

    private bool IsHost(IPv4Address address) =>
        _subnet.Contains(address) && address != _subnet.Network && address != _subnet.Broadcast;
}

using MyVpn.Protocol;

namespace MyVpn.Tests.Unit.Support;

/// <summary>
/// The replay rule of docs/protocol.md §5.4 written the obvious way (every counter ever marked,
/// and the highest), as the reference the real <see cref="ReplayWindow"/> is compared with.
/// </summary>
public sealed class NaiveReplayWindow
{
    private readonly HashSet<ulong> _marked = [];
    private ulong _highest;

    public bool CanAccept(ulong counter) =>
        counter < WireFormat.MaxCounter
        && !_marked.Contains(counter)
        && (counter > _highest || _highest - counter < ReplayWindow.Size);

    public bool Mark(ulong counter)
    {
        if (!CanAccept(counter))
            return false;
        _marked.Add(counter);
        _highest = Math.Max(_highest, counter);
        return true;
    }

    public ulong Highest => _highest;
}

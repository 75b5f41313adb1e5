namespace MyVpn.Protocol;

/// <summary>
/// Rejects repeated and too-old packet counters: a sliding bitmap of <see cref="Size"/> counters
/// behind the highest one seen (the ring-of-blocks layout of RFC 6479). Two phases:
/// <see cref="CanAccept"/> before the packet is authenticated, <see cref="Mark"/> after, so a
/// forged packet never moves the window.
/// </summary>
public sealed class ReplayWindow
{
    private const int BlockBits = 64;
    private const int Blocks = 64;

    /// <summary>How far behind the highest counter a packet may arrive and still be accepted.</summary>
    public const ulong Size = (Blocks - 1) * BlockBits;

    private readonly ulong[] _bitmap = new ulong[Blocks];
    private ulong _highest;
    private bool _marked;

    /// <summary>True if <paramref name="counter"/> is above every counter marked so far (any counter, when none is).</summary>
    public bool IsAhead(ulong counter) => !_marked || counter > _highest;

    /// <summary>The highest counter marked (0 when none is).</summary>
    public ulong Highest => _highest;

    public bool CanAccept(ulong counter)
    {
        if (counter >= WireFormat.MaxCounter)
            return false;
        if (counter > _highest)
            return true;
        if (_highest - counter >= Size)
            return false;
        return (_bitmap[BlockOf(counter)] & BitOf(counter)) == 0;
    }

    /// <summary>Records an authenticated counter. Returns false (and records nothing) if it was not acceptable.</summary>
    public bool Mark(ulong counter)
    {
        if (!CanAccept(counter))
            return false;
        if (counter > _highest)
        {
            var current = _highest / BlockBits;
            var next = counter / BlockBits;
            var toClear = Math.Min(next - current, (ulong)Blocks);
            for (ulong i = 1; i <= toClear; i++)
                _bitmap[(current + i) % Blocks] = 0;
            _highest = counter;
        }
        _bitmap[BlockOf(counter)] |= BitOf(counter);
        _marked = true;
        return true;
    }

    private static int BlockOf(ulong counter) => (int)(counter / BlockBits % Blocks);

    private static ulong BitOf(ulong counter) => 1UL << (int)(counter % BlockBits);
}

namespace MyVpn.Tunnel;

/// <summary>
/// A token bucket on the caller's clock (<see cref="TimeProvider"/> timestamps, virtual in the simulator):
/// <see cref="Burst"/> tokens at most, refilled at <see cref="PerSecond"/>. It limits the daemon's ICMP
/// answers, which only oversize packets cost, so its lock is never taken on the ordinary data path.
/// </summary>
public sealed class TokenBucket
{
    private readonly Lock _lock = new();
    private readonly long _ticksPerToken;
    private readonly long _capacityTicks;
    private long _filledAt;
    private long _tokensTicks;

    /// <param name="frequency">Timestamp ticks per second (<see cref="TimeProvider.TimestampFrequency"/>).</param>
    /// <param name="now">The timestamp the bucket starts full at.</param>
    public TokenBucket(int perSecond, int burst, long frequency, long now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perSecond, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        PerSecond = perSecond;
        Burst = burst;
        _ticksPerToken = Math.Max(1, frequency / perSecond);
        _capacityTicks = _ticksPerToken * burst;
        _tokensTicks = _capacityTicks;
        _filledAt = now;
    }

    public int PerSecond { get; }
    public int Burst { get; }

    /// <summary>Takes one token if there is one at <paramref name="now"/>.</summary>
    public bool TryTake(long now)
    {
        lock (_lock)
        {
            // a clock that steps back adds nothing and leaves the refill where it was
            _tokensTicks = Math.Min(_capacityTicks, _tokensTicks + Math.Max(0, now - _filledAt));
            _filledAt = Math.Max(_filledAt, now);
            if (_tokensTicks < _ticksPerToken)
                return false;
            _tokensTicks -= _ticksPerToken;
            return true;
        }
    }
}

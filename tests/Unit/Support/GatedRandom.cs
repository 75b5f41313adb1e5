using MyVpn.Protocol;

namespace MyVpn.Tests.Unit.Support;

/// <summary>
/// A <see cref="TestRandom"/> whose next draw can be made to wait: <see cref="Arm"/>, and the next
/// <see cref="Fill"/> signals <see cref="Entered"/> and blocks until <see cref="Release"/>. The server
/// draws its ephemeral key in the middle of a handshake's crypto, so this holds a handshake there.
/// </summary>
public sealed class GatedRandom(int seed) : IRandomSource
{
    private readonly TestRandom _inner = new(seed);
    private readonly ManualResetEventSlim _released = new(true);
    private int _armed;

    public ManualResetEventSlim Entered { get; } = new(false);

    public void Arm()
    {
        _released.Reset();
        Entered.Reset();
        Volatile.Write(ref _armed, 1);
    }

    public void Release() => _released.Set();

    public void Fill(Span<byte> destination)
    {
        if (Interlocked.Exchange(ref _armed, 0) == 1)
        {
            Entered.Set();
            _released.Wait();
        }
        lock (_inner)
            _inner.Fill(destination);
    }
}

using BenchmarkDotNet.Attributes;
using MyVpn.Protocol;

namespace MyVpn.Bench;

/// <summary>The replay window's two phases on the common path: the next counter in order.</summary>
[MemoryDiagnoser]
public class ReplayWindowBenchmarks
{
    private readonly ReplayWindow _window = new();
    private ulong _counter;

    [Benchmark]
    public bool CheckAndMark()
    {
        var counter = _counter++;
        return _window.CanAccept(counter) && _window.Mark(counter);
    }
}

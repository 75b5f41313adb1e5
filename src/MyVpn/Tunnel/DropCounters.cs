using MyVpn.Protocol;

namespace MyVpn.Tunnel;

/// <summary>Counts drops by reason. Thread-safe: the engines' data-path threads add to it at once; read it from any thread.</summary>
public sealed class DropCounters
{
    private readonly long[] _counts = new long[Enum.GetValues<DropReason>().Length];

    public void Add(DropReason reason) => Interlocked.Increment(ref _counts[(int)reason]);

    public long this[DropReason reason] => Interlocked.Read(ref _counts[(int)reason]);

    public long Total
    {
        get
        {
            long total = 0;
            foreach (var c in _counts) total += Interlocked.Read(in c);
            return total;
        }
    }

    public override string ToString() =>
        string.Join(", ", Enum.GetValues<DropReason>().Where(r => this[r] > 0).Select(r => $"{r}={this[r]}"));
}

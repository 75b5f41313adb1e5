using MyVpn.Io;
using MyVpn.Protocol;

namespace MyVpn.Tunnel;

/// <summary>Counts drops by reason. Thread-safe: the engines' data-path threads add to it at once; read it from any thread.</summary>
public sealed class DropCounters
{
    private readonly long[] _counts = new long[Enum.GetValues<DropReason>().Length];

    public void Add(DropReason reason) => Interlocked.Increment(ref _counts[(int)reason]);

    /// <summary>Counts <paramref name="count"/> drops at once (a batch the device refused).</summary>
    public void Add(DropReason reason, int count) => Interlocked.Add(ref _counts[(int)reason], count);

    /// <summary>Counts the datagrams a send refused, each under its reason (nothing when all went).</summary>
    public void Add(in SendResult result)
    {
        if (result.Dropped == 0)
            return; // the usual send: no atomic adds of zero on the counters the other threads share
        Add(DropReason.SendBufferFull, result.BufferFull);
        Add(DropReason.SendNoBuffers, result.NoBuffers);
        Add(DropReason.SendTooBig, result.TooBig);
        Add(DropReason.SendRefused, result.Refused);
        Add(DropReason.SendUnreachable, result.Unreachable);
        Add(DropReason.SendFailed, result.Failed);
    }

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

    /// <summary>A snapshot of the reasons with a count, in the enum's order.</summary>
    public IReadOnlyDictionary<DropReason, long> NonZero()
    {
        var counts = new SortedDictionary<DropReason, long>();
        foreach (var reason in Enum.GetValues<DropReason>())
            if (this[reason] is > 0 and var count)
                counts[reason] = count;
        return counts;
    }

    public override string ToString() =>
        string.Join(", ", Enum.GetValues<DropReason>().Where(r => this[r] > 0).Select(r => $"{r}={this[r]}"));
}

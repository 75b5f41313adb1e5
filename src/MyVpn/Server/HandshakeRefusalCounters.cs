namespace MyVpn.Server;

/// <summary>Counts refused handshake connections by reason.</summary>
public sealed class HandshakeRefusalCounters
{
    private readonly long[] _counts = new long[Enum.GetValues<HandshakeRefusal>().Length];

    public void Add(HandshakeRefusal refusal) => Interlocked.Increment(ref _counts[(int)refusal]);

    public long this[HandshakeRefusal refusal] => Interlocked.Read(ref _counts[(int)refusal]);

    public long Total => _counts.Sum(c => Interlocked.Read(ref c));
}

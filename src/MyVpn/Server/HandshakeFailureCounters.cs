using MyVpn.Protocol;

namespace MyVpn.Server;

/// <summary>Counts failed handshakes by their named error.</summary>
public sealed class HandshakeFailureCounters
{
    private readonly long[] _counts = new long[Enum.GetValues<HandshakeError>().Length];

    public void Add(HandshakeError error) => Interlocked.Increment(ref _counts[(int)error]);

    public long this[HandshakeError error] => Interlocked.Read(ref _counts[(int)error]);
}

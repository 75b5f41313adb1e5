namespace MyVpn.Server;

/// <summary>Why the server refused a handshake connection (Reject Busy, then close) before finishing it.</summary>
public enum HandshakeRefusal
{
    None,

    /// <summary><see cref="VpnServerOptions.MaxPendingHandshakes"/> handshakes were in flight.</summary>
    TooManyInFlight,

    /// <summary><see cref="VpnServerOptions.MaxHandshakesPerSource"/> handshakes were in flight from the same address.</summary>
    TooManyFromSource,

    /// <summary>The address had used up its <see cref="VpnServerOptions.HandshakeRatePerSource"/> token bucket.</summary>
    SourceRateExceeded,

    /// <summary><see cref="VpnServerOptions.MaxConcurrentHandshakeCrypto"/> handshake messages were being processed.</summary>
    CryptoBusy,
}

/// <summary>Counts refused handshake connections by reason.</summary>
public sealed class HandshakeRefusalCounters
{
    private readonly long[] _counts = new long[Enum.GetValues<HandshakeRefusal>().Length];

    public void Add(HandshakeRefusal refusal) => Interlocked.Increment(ref _counts[(int)refusal]);

    public long this[HandshakeRefusal refusal] => Interlocked.Read(ref _counts[(int)refusal]);

    public long Total => _counts.Sum(c => Interlocked.Read(ref c));
}

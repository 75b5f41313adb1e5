using MyVpn.Protocol;

namespace MyVpn.Tunnel;

/// <summary>
/// An engine's handshakes as its metrics see them: how many completed, how many of those renewed the
/// keys of a session that was up (rekeys), how many failed by reason (the client's; the server counts
/// its failures in <c>VpnServer.HandshakeFailures</c>), and each completed one's duration, handed to
/// <see cref="Completed"/> as it completes. Thread-safe; touched once per handshake, never per packet.
/// </summary>
public sealed class HandshakeCounters
{
    private readonly long[] _failed = new long[Enum.GetValues<HandshakeError>().Length];
    private long _succeeded;
    private long _rekeys;

    /// <summary>Raised on the completing thread (under the engine's locks) with how long the handshake took; keep it cheap.</summary>
    public event Action<TimeSpan>? Completed;

    /// <summary>Handshakes that gave a session its keys, rekeys included.</summary>
    public long Succeeded => Interlocked.Read(ref _succeeded);

    /// <summary>Handshakes that replaced the keys of a session that was up.</summary>
    public long Rekeys => Interlocked.Read(ref _rekeys);

    public long this[HandshakeError error] => Interlocked.Read(ref _failed[(int)error]);

    public void Succeed(TimeSpan duration, bool rekey)
    {
        Interlocked.Increment(ref _succeeded);
        if (rekey)
            Interlocked.Increment(ref _rekeys);
        Completed?.Invoke(duration);
    }

    public void Fail(HandshakeError error) => Interlocked.Increment(ref _failed[(int)error]);
}

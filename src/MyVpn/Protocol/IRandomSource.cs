namespace MyVpn.Protocol;

/// <summary>
/// Every random byte the protocol uses (ephemeral keys, nonces, data keys, session ids, jitter)
/// comes from here, so the simulator can make a run repeatable from one seed.
/// </summary>
public interface IRandomSource
{
    void Fill(Span<byte> destination);
}

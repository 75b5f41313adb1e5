using System.Security.Cryptography;

namespace MyVpn.Protocol;

/// <summary>
/// Every random byte the protocol uses (ephemeral keys, nonces, data keys, session ids, jitter)
/// comes from here, so the simulator can make a run repeatable from one seed.
/// </summary>
public interface IRandomSource
{
    void Fill(Span<byte> destination);
}

/// <summary>The operating system's cryptographic random number generator: what the daemon uses.</summary>
public sealed class SystemRandomSource : IRandomSource
{
    public static readonly SystemRandomSource Instance = new();

    public void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);
}

using System.Security.Cryptography;

namespace MyVpn.Protocol;

/// <summary>The operating system's cryptographic random number generator: what the daemon uses.</summary>
public sealed class SystemRandomSource : IRandomSource
{
    public static readonly SystemRandomSource Instance = new();

    public void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);
}

namespace MyVpn.Crypto;

/// <summary>
/// One implementation of the primitives the protocol needs: AES-256-GCM (<see cref="IAead"/>) and
/// P-256 key agreement (<see cref="IKeyAgreement"/>). <see cref="CryptoProviders"/> names the ones
/// there are and the default.
/// </summary>
public interface ICryptoProvider
{
    /// <summary>A short name for messages and test output ("openssl", "dotnet").</summary>
    string Name { get; }

    /// <summary>P-256 key agreement; one shared, thread-safe instance.</summary>
    IKeyAgreement KeyAgreement { get; }

    /// <summary>
    /// An AES-256-GCM context for a 32-byte <paramref name="key"/> that seals (<paramref name="encrypt"/>)
    /// or opens; any other key length is an <see cref="ArgumentException"/>. The caller disposes it.
    /// </summary>
    IAead CreateAead(ReadOnlySpan<byte> key, bool encrypt);
}

using MyVpn.Crypto.DotNet;
using MyVpn.Crypto.OpenSsl;

namespace MyVpn.Crypto;

/// <summary>The implementations of <see cref="ICryptoProvider"/>, and the one everything uses unless told otherwise.</summary>
public static class CryptoProviders
{
    /// <summary>Direct libcrypto calls: the data path's AES-GCM and the handshake's P-256 at the least cost per call.</summary>
    public static ICryptoProvider OpenSsl => OpenSslCryptoProvider.Instance;

    /// <summary>.NET's own <c>AesGcm</c> and <c>ECDiffieHellman</c>: the reference the OpenSSL bindings are tested against.</summary>
    public static ICryptoProvider DotNet => DotNetCryptoProvider.Instance;

    /// <summary>What the daemon uses: <see cref="OpenSsl"/> (faster per packet).</summary>
    public static ICryptoProvider Default => OpenSsl;
}

namespace MyVpn.Crypto.DotNet;

/// <summary>.NET's own cryptography as an <see cref="ICryptoProvider"/>: the reference the OpenSSL bindings are compared against.</summary>
internal sealed class DotNetCryptoProvider : ICryptoProvider
{
    public static readonly DotNetCryptoProvider Instance = new();

    private DotNetCryptoProvider()
    {
    }

    public string Name => "dotnet";

    public IKeyAgreement KeyAgreement => DotNetP256.Instance;

    public IAead CreateAead(ReadOnlySpan<byte> key, bool encrypt) => new DotNetAesGcm(key, encrypt);

    public override string ToString() => Name;
}

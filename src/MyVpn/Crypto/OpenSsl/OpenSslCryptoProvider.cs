namespace MyVpn.Crypto.OpenSsl;

/// <summary>The libcrypto bindings as an <see cref="ICryptoProvider"/>: the daemon's default.</summary>
internal sealed class OpenSslCryptoProvider : ICryptoProvider
{
    public static readonly OpenSslCryptoProvider Instance = new();

    private OpenSslCryptoProvider()
    {
    }

    public string Name => "openssl";

    public IKeyAgreement KeyAgreement => OpenSslP256.Instance;

    public IAead CreateAead(ReadOnlySpan<byte> key, bool encrypt) => new OpenSslAesGcm(key, encrypt);

    public override string ToString() => Name;
}

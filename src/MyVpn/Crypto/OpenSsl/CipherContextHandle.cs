using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MyVpn.Crypto.OpenSsl;

/// <summary>An OpenSSL <c>EVP_CIPHER_CTX</c> (a cipher context holding an expanded key; freeing it wipes the key). Released once, by <c>EVP_CIPHER_CTX_free</c>, when the last user lets go of it.</summary>
internal sealed partial class CipherContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>For the interop marshaller, which fills the handle in from a call's result.</summary>
    public CipherContextHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        EVP_CIPHER_CTX_free(handle);
        return true;
    }

    [LibraryImport(LibCrypto.Library)] private static partial void EVP_CIPHER_CTX_free(nint value);
}

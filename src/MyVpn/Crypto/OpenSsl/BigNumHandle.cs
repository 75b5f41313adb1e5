using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MyVpn.Crypto.OpenSsl;

/// <summary>An OpenSSL <c>BIGNUM</c> (a private scalar or a coordinate); wiped as it is freed. Released once, by <c>BN_clear_free</c>, when the last user lets go of it.</summary>
internal sealed partial class BigNumHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>For the interop marshaller, which fills the handle in from a call's result.</summary>
    public BigNumHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        BN_clear_free(handle);
        return true;
    }

    [LibraryImport(LibCrypto.Library)] private static partial void BN_clear_free(nint value);
}

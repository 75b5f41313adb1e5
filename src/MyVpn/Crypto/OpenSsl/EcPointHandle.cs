using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MyVpn.Crypto.OpenSsl;

/// <summary>An OpenSSL <c>EC_POINT</c>; wiped as it is freed. Released once, by <c>EC_POINT_clear_free</c>, when the last user lets go of it.</summary>
internal sealed partial class EcPointHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>For the interop marshaller, which fills the handle in from a call's result.</summary>
    public EcPointHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        EC_POINT_clear_free(handle);
        return true;
    }

    [LibraryImport(LibCrypto.Library)] private static partial void EC_POINT_clear_free(nint value);
}

using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MyVpn.Crypto.OpenSsl;

/// <summary>An OpenSSL <c>EC_GROUP</c> (a curve's parameters). Released once, by <c>EC_GROUP_free</c>, when the last user lets go of it.</summary>
internal sealed partial class EcGroupHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>For the interop marshaller, which fills the handle in from a call's result.</summary>
    public EcGroupHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        EC_GROUP_free(handle);
        return true;
    }

    [LibraryImport(LibCrypto.Library)] private static partial void EC_GROUP_free(nint value);
}

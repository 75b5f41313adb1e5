using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace MyVpn.Crypto.OpenSsl;

/// <summary>
/// What the direct libcrypto bindings (<see cref="OpenSslP256"/>, <see cref="OpenSslAesGcm"/>) share: the
/// library's name and how a failed call becomes an exception without leaving OpenSSL's per-thread error
/// queue behind.
/// </summary>
internal static partial class LibCrypto
{
    public const string Library = "libcrypto.so.3";

    /// <summary>Throws (and empties the error queue) unless <paramref name="ok"/>.</summary>
    public static void Check(bool ok, string call)
    {
        if (!ok)
            Fail(call);
    }

    /// <summary>Throws a <see cref="CryptographicException"/> naming the call and OpenSSL's latest error; the queue is emptied.</summary>
    public static void Fail(string call)
    {
        var code = ERR_peek_last_error(); // the newest entry: this call's, not something older left on the thread
        ERR_clear_error();
        throw new CryptographicException($"{call} failed (OpenSSL error 0x{code:x})");
    }

    /// <summary>Empties OpenSSL's error queue of this thread (after an expected failure, such as a tag that does not verify).</summary>
    public static void ClearErrors() => ERR_clear_error();

    [LibraryImport(Library)] private static partial nuint ERR_peek_last_error();
    [LibraryImport(Library)] private static partial void ERR_clear_error();
}

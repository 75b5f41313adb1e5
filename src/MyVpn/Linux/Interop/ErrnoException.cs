using System.Runtime.InteropServices;

namespace MyVpn.Linux.Interop;

/// <summary>A C library call failed; the message names the call and the error, e.g. <c>ioctl(TUNSETIFF) failed: EPERM (Operation not permitted)</c>.</summary>
internal sealed class ErrnoException(string call, int errno)
    : IOException($"{call} failed: {Errno.Name(errno)} ({Marshal.GetPInvokeErrorMessage(errno)})")
{
    public int Number { get; } = errno;

    /// <summary>Builds the exception from the errno the last P/Invoke recorded.</summary>
    public static ErrnoException FromLastError(string call) => new(call, Marshal.GetLastPInvokeError());
}

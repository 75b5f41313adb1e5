using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>
/// Runs code on a fresh thread that has joined a network namespace (<c>setns</c> changes only the
/// calling thread), so sockets and tun devices it opens live there while the test process stays put.
/// </summary>
internal static partial class NamespaceThread
{
    private const int CLONE_NEWNET = 0x40000000;

    public static T Run<T>(string ns, Func<T> action)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/run/netns/{ns}");
                if (SetNs(handle, CLONE_NEWNET) != 0)
                    throw new IOException($"setns({ns}) failed: errno {Marshal.GetLastPInvokeError()}");
                result = action();
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        thread.Start();
        thread.Join();
        if (error is not null)
            throw new InvalidOperationException($"in namespace {ns}: {error.Message}", error);
        return result;
    }

    [LibraryImport("libc.so.6", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(SafeFileHandle fd, int nstype);
}

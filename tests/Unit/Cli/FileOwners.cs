using System.Runtime.InteropServices;

namespace MyVpn.Tests.Unit.Cli;

/// <summary>What the secret-file tests do to files that .NET has no call for: change the owner, make a FIFO.</summary>
internal static partial class FileOwners
{
    /// <summary>nobody: a user that is neither root nor the user running the tests.</summary>
    public const uint Nobody = 65534;

    public static void Chown(string path, uint uid)
    {
        if (chown(path, uid, uint.MaxValue) != 0)
            throw new IOException($"chown {path} {uid}: errno {Marshal.GetLastPInvokeError()} (the secret-file tests run as root)");
    }

    public static void MakeFifo(string path)
    {
        if (mkfifo(path, 0x180) != 0)
            throw new IOException($"mkfifo {path}: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc.so.6", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int chown(string path, uint owner, uint group);

    [LibraryImport("libc.so.6", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mkfifo(string path, uint mode);
}

using System.Runtime.InteropServices;

namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>Sends a signal to one process, by its id (never by name).</summary>
internal static partial class Signals
{
    public const int SIGHUP = 1;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    public static void Send(int pid, int signal) => _ = Kill(pid, signal);

    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}");

    [LibraryImport("libc.so.6", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

using MyVpn.Captures;
using MyVpn.Cli.Hosting;
using MyVpn.Linux;
using MyVpn.Linux.Interop;

namespace MyVpn.Cli;

/// <summary>Turns a failure to set up into one line on standard error and exit status 1.</summary>
internal static class CommandErrors
{
    public static int Run(string command, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is ConfigException or SetupException or ErrnoException or CaptureException)
        {
            Console.Error.WriteLine($"myvpn {command}: {e.Message}");
            return ExitCodes.SetupFailed;
        }
    }
}

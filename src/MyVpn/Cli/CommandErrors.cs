using MyVpn.Captures;
using MyVpn.Cli.Hosting;
using MyVpn.Linux;
using MyVpn.Linux.Interop;

namespace MyVpn.Cli;

/// <summary>
/// Turns a failure to set up into one line on standard error and exit status 1. Anything else is a
/// bug: it is printed whole, and caught all the same so the hosts' finally blocks (which undo the
/// routes and NAT) run, as they would not for an unhandled exception.
/// </summary>
internal static class CommandErrors
{
    /// <summary>
    /// <c>--check</c>: validates without starting anything. Prints "WHAT: ok" and returns 0, or the one-line
    /// error and <see cref="ExitCodes.ConfigInvalid"/>.
    /// </summary>
    /// <param name="io">Where "ok" and the error go: the invocation's output and error writers.</param>
    /// <param name="validate">Validates everything, returns what was checked (the config file's path).</param>
    public static int Check(string command, System.CommandLine.InvocationConfiguration io, Func<string> validate) => Run(command, () =>
    {
        string what;
        try
        {
            what = validate();
        }
        catch (ConfigException e)
        {
            io.Error.WriteLine($"myvpn {command}: {e.Message}");
            return ExitCodes.ConfigInvalid;
        }
        io.Output.WriteLine($"{what}: ok");
        return ExitCodes.Ok;
    });

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
        catch (Exception e)
        {
            Console.Error.WriteLine($"myvpn {command}: unexpected error: {e}");
            return ExitCodes.SetupFailed;
        }
    }
}

using System.Diagnostics;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>Runs the built simulator (MyVpn.Sim.dll beside the tests) in a process of its own, with extra environment variables.</summary>
internal static class SimProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "MyVpn.Sim.dll");

    private static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>Exit status, standard output and standard error of <c>dotnet MyVpn.Sim.dll ARGS</c>.</summary>
    public static (int Exit, string Output, string Error) Run(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(Dotnet) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }
}

using System.Diagnostics;
using System.Text;

namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>Runs a command to completion and returns what it printed; a hung command is killed at its deadline.</summary>
internal static class Shell
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public bool Succeeded => ExitCode == 0;
        public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
    }

    public static Result Run(string file, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (error) error.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            process.Kill();
            process.WaitForExit();
            throw new TimeoutException($"'{file} {string.Join(' ', arguments)}' did not finish in time");
        }
        process.WaitForExit();
        lock (output)
            lock (error)
                return new Result(process.ExitCode, output.ToString(), error.ToString());
    }

    /// <summary>Runs the command and fails the test with its output if it fails.</summary>
    public static string Check(string file, params string[] arguments)
    {
        var result = Run(file, arguments);
        if (!result.Succeeded)
            throw new InvalidOperationException($"'{file} {string.Join(' ', arguments)}' failed: {result}");
        return result.Output;
    }
}

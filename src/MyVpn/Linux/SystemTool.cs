using System.Diagnostics;

namespace MyVpn.Linux;

/// <summary>Runs a system tool (<c>ip</c>, <c>nft</c>) and reports a failure as one line: the command and what it said.</summary>
internal static class SystemTool
{
    public readonly record struct Result(int ExitCode, string Output, string Error)
    {
        public bool Succeeded => ExitCode == 0;
    }

    public static Result Run(string tool, IEnumerable<string> arguments, string? input = null)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new SetupException($"cannot run '{tool}': {e.Message} (is it installed?)", e);
        }
        using (process)
        {
            if (input is not null)
            {
                process.StandardInput.Write(input);
                process.StandardInput.Close();
            }
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return new Result(process.ExitCode, output.Result, error.Trim());
        }
    }

    /// <summary>Runs the tool and throws a <see cref="SetupException"/> naming the command when it fails.</summary>
    public static string RunChecked(string tool, IReadOnlyList<string> arguments, string? input = null)
    {
        var result = Run(tool, arguments, input);
        if (!result.Succeeded)
            throw new SetupException($"'{tool} {string.Join(' ', arguments)}' failed: {FirstLine(result.Error)}");
        return result.Output;
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length == 0 ? "no message" : line;
    }
}

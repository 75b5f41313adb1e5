using System.Diagnostics;

namespace MyVpn.Tests.Unit.Support;

/// <summary>Runs Debian's tshark with the MyVpn dissector (run-tests.sh installs tshark).</summary>
public static class Tshark
{
    public static string Dissector => Path.Combine(RepositoryRoot(), "captures", "wireshark", "myvpn.lua");

    /// <summary>Each output line of <c>tshark -T fields</c> for the given fields, split on tabs.</summary>
    public static List<string[]> Fields(string capture, string displayFilter, params string[] fields) =>
        Fields(capture, [], displayFilter, fields);

    /// <summary>As <see cref="Fields(string, string, string[])"/>, with dissector preferences (<c>myvpn.first_port:9525</c>) set by <c>-o</c>.</summary>
    public static List<string[]> Fields(string capture, IReadOnlyList<string> preferences, string displayFilter, params string[] fields)
    {
        var args = new List<string> { "-n", "-X", $"lua_script:{Dissector}", "-r", capture, "-Y", displayFilter, "-T", "fields" };
        foreach (var preference in preferences)
            args.AddRange(["-o", preference]);
        foreach (var field in fields)
            args.AddRange(["-e", field]);
        var output = Run(args);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToList();
    }

    private static string Run(List<string> args)
    {
        var start = new ProcessStartInfo("tshark") { RedirectStandardOutput = true, RedirectStandardError = true };
        args.ForEach(start.ArgumentList.Add);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("tshark is not installed: run ./run-tests.sh (it installs it) or apt-get install tshark");
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 || stderr.Contains("Lua: Error", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"tshark failed ({process.ExitCode}): {stderr}");
        return stdout.Result;
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MyVpn.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("MyVpn.sln not found above the test directory");
    }
}

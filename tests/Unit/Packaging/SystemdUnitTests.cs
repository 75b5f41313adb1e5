using System.Diagnostics;
using MyVpn.Cli.Hosting;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Packaging;

/// <summary>
/// The systemd units in packaging/systemd: <c>systemd-analyze verify</c> accepts them without a single
/// warning (run on copies whose ExecStart is an executable that exists here: verify checks it), and
/// they say what the daemon does (Type=notify, the watchdog, no restart after exit status 3).
/// </summary>
public sealed class SystemdUnitTests
{
    private static readonly string[] Units = ["myvpn-server.service", "myvpn-client@.service"];

    private static string UnitText(string unit) => File.ReadAllText(Path.Combine(RepoPaths.Root, "packaging", "systemd", unit));

    /// <summary>The values of <paramref name="key"/> in the unit, in order.</summary>
    private static List<string> Values(string unit, string key) =>
        [.. UnitText(unit).Split('\n').Where(l => l.StartsWith(key + "=", StringComparison.Ordinal)).Select(l => l[(key.Length + 1)..].Trim())];

    [Fact]
    public void Systemd_analyze_verify_accepts_both_units_without_a_warning()
    {
        var directory = Directory.CreateTempSubdirectory("myvpn-units-").FullName;
        try
        {
            var binary = Path.Combine(directory, "myvpn");
            File.WriteAllText(binary, "#!/bin/sh\nexit 0\n");
            File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            foreach (var unit in Units)
                File.WriteAllText(Path.Combine(directory, unit), UnitText(unit).Replace("/usr/bin/myvpn", binary, StringComparison.Ordinal));

            var (exitCode, output) = Run("systemd-analyze", ["verify", .. Units.Select(u => Path.Combine(directory, u))]);

            Assert.True(exitCode == 0 && output.Length == 0, $"systemd-analyze verify: exit {exitCode}\n{output}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("myvpn-server.service", "/usr/bin/myvpn server --config /etc/myvpn/server.toml")]
    [InlineData("myvpn-client@.service", "/usr/bin/myvpn client --config /etc/myvpn/%i.toml")]
    public void Each_unit_is_a_notify_service_with_a_watchdog_and_runs_its_config(string unit, string execStart)
    {
        Assert.Equal([execStart], Values(unit, "ExecStart"));
        Assert.Equal(["notify"], Values(unit, "Type"));
        Assert.Equal(["main"], Values(unit, "NotifyAccess"));
        Assert.Single(Values(unit, "WatchdogSec"));
        Assert.Equal(["on-failure"], Values(unit, "Restart"));
        Assert.Equal(["yes"], Values(unit, "RuntimeDirectoryPreserve")); // the undo journal outlives a crash
        Assert.Equal(["myvpn"], Values(unit, "RuntimeDirectory"));
        Assert.Equal(["strict"], Values(unit, "ProtectSystem"));
        Assert.Equal(["/dev/net/tun rw"], Values(unit, "DeviceAllow"));
        Assert.Empty(Values(unit, "AmbientCapabilities")); // it runs as root, within the bounding set
        Assert.Empty(Values(unit, "User"));
    }

    [Fact]
    public void The_client_is_not_restarted_after_the_server_refused_its_key()
    {
        Assert.Equal([ExitCodes.AuthenticationFailed.ToString()], Values("myvpn-client@.service", "RestartPreventExitStatus"));
    }

    [Fact]
    public void The_server_reloads_on_sighup_and_the_client_has_no_reload()
    {
        Assert.Equal(["/bin/kill -HUP $MAINPID"], Values("myvpn-server.service", "ExecReload"));
        Assert.Empty(Values("myvpn-client@.service", "ExecReload"));
    }

    private static (int ExitCode, string Output) Run(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException($"{file} is not installed: run ./run-tests.sh (it installs the systemd package) or apt-get install systemd");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, (stdout.Result + stderr).Trim());
        }
    }
}

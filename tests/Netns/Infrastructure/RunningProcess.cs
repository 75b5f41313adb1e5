using System.Diagnostics;

namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>
/// A long-running process started inside a namespace (<c>ip netns exec</c> execs it, so the pid is the
/// program's own), its output kept line by line. Stopped by pid: SIGTERM, then SIGKILL if it lingers.
/// </summary>
internal sealed class RunningProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];

    private RunningProcess(string label, Process process)
    {
        Label = label;
        _process = process;
    }

    public string Label { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_lines)
                return string.Join('\n', _lines);
        }
    }

    public static RunningProcess Start(string label, string ns, string file, params string[] arguments) =>
        Start(label, ns, new Dictionary<string, string>(), file, arguments);

    /// <summary>Starts it with <paramref name="environment"/> added to this process's environment.</summary>
    public static RunningProcess Start(string label, string ns, IReadOnlyDictionary<string, string> environment, string file,
        params string[] arguments)
    {
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        foreach (var argument in (string[])["netns", "exec", ns, file, .. arguments])
            start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        var running = new RunningProcess(label, process);
        process.OutputDataReceived += (_, e) => running.Append(e.Data);
        process.ErrorDataReceived += (_, e) => running.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_lines)
            _lines.Add(line);
    }

    public Task<bool> WaitForOutput(string text, TimeSpan timeout) =>
        Eventually.Holds(() => Output.Contains(text, StringComparison.Ordinal) || HasExited, timeout, TimeSpan.FromMilliseconds(50))
            .ContinueWith(_ => Output.Contains(text, StringComparison.Ordinal));

    public async Task<bool> WaitForExit(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGTERM, and the exit code once it has exited (null if it did not within the timeout).</summary>
    public async Task<int?> Terminate(TimeSpan timeout)
    {
        if (!HasExited)
            Signals.Send(Pid, Signals.SIGTERM);
        return await WaitForExit(timeout) ? ExitCode : null;
    }

    /// <summary>SIGKILL: the process gets no chance to clean up (a crash).</summary>
    public void Kill()
    {
        if (HasExited)
            return;
        Signals.Send(Pid, Signals.SIGKILL);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!HasExited)
        {
            Signals.Send(Pid, Signals.SIGTERM);
            if (!_process.WaitForExit(TimeSpan.FromSeconds(5)))
                Kill();
        }
        _process.Dispose();
    }

    public override string ToString() => $"--- {Label} (pid {Pid}) ---\n{Output}";
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;

namespace MyVpn.Linux;

/// <summary>
/// The list of changes this daemon made to the system (routes, NAT table, sysctls), kept in
/// <c>/run/myvpn/&lt;tun&gt;.&lt;netns&gt;.json</c> and rewritten before each change. A clean exit undoes
/// them in reverse order and deletes the file; a start after a crash (SIGKILL) finds the file of the
/// dead process and undoes its changes first. The network namespace is part of the name because
/// /run is shared by all namespaces.
/// </summary>
internal sealed partial class UndoJournal
{
    public const string Directory = "/run/myvpn";

    private readonly string _path;
    private readonly ILogger _logger;
    private readonly List<UndoStep> _steps = [];

    private UndoJournal(string path, ILogger logger)
    {
        _path = path;
        _logger = logger;
    }

    public string Path => _path;

    /// <summary>
    /// Claims the journal for <paramref name="tunName"/> in this network namespace: refuses when a live
    /// daemon holds it, undoes what a dead one left behind.
    /// </summary>
    public static UndoJournal Claim(string tunName, ILogger logger)
    {
        var path = $"{Directory}/{tunName}.{NetworkNamespaceId()}.json";
        var journal = new UndoJournal(path, logger);
        if (File.Exists(path))
            journal.RecoverFrom(Load(path));
        journal.Save();
        return journal;
    }

    /// <summary>Writes the step down; call it before making the change.</summary>
    public void Record(UndoStep step)
    {
        lock (_steps)
        {
            _steps.Add(step);
            Save();
        }
    }

    /// <summary>Drops a step whose change turned out not to be ours (it was there already).</summary>
    public void Forget(UndoStep step)
    {
        lock (_steps)
        {
            _steps.Remove(step);
            Save();
        }
    }

    /// <summary>Undoes every recorded change, newest first, and deletes the journal.</summary>
    public void UndoAll()
    {
        lock (_steps)
        {
            for (var i = _steps.Count - 1; i >= 0; i--)
                Undo(_steps[i]);
            _steps.Clear();
            File.Delete(_path);
        }
    }

    private void RecoverFrom(JournalFile stale)
    {
        if (stale.Pid != Environment.ProcessId && IsLiveDaemon(stale.Pid))
            throw new SetupException(
                $"another myvpn (pid {stale.Pid}) is running on this tun device in this network namespace (see {_path})");
        LogStale(_logger, stale.Pid, stale.Steps.Length);
        for (var i = stale.Steps.Length - 1; i >= 0; i--)
            Undo(stale.Steps[i]);
    }

    /// <summary>Undoes one step; a failure is logged and the rest still undone.</summary>
    private void Undo(UndoStep step)
    {
        LogUndo(_logger, step.ToString());
        try
        {
            step.Undo();
        }
        catch (SetupException e)
        {
            LogUndoFailed(_logger, step.ToString(), e.Message);
        }
    }

    private void Save()
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            var temporary = _path + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(new JournalFile(Environment.ProcessId, [.. _steps]), UndoJournalJson.Default.JournalFile));
            File.Move(temporary, _path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SetupException($"cannot write the undo journal {_path}: {e.Message}", e);
        }
    }

    private static JournalFile Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), UndoJournalJson.Default.JournalFile) ?? new JournalFile(0, []);
        }
        catch (JsonException)
        {
            return new JournalFile(0, []);
        }
    }

    private static bool IsLiveDaemon(int pid)
    {
        try
        {
            return pid > 0 && File.ReadAllText($"/proc/{pid}/cmdline").Contains("myvpn", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The inode of this process's network namespace ("net:[4026531840]" gives 4026531840).</summary>
    internal static string NetworkNamespaceId()
    {
        var target = new FileInfo("/proc/self/ns/net").LinkTarget ?? "net:[0]";
        return new string(target.Where(char.IsAsciiDigit).ToArray());
    }

    internal sealed record JournalFile(
        [property: JsonPropertyName("pid")] int Pid,
        [property: JsonPropertyName("steps")] UndoStep[] Steps);

    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "removing what an earlier run (pid {Pid}) left behind: {Count} change(s)")]
    private static partial void LogStale(ILogger logger, int pid, int count);

    [LoggerMessage(EventId = 121, Level = LogLevel.Debug, Message = "undo: {Step}")]
    private static partial void LogUndo(ILogger logger, string step);

    [LoggerMessage(EventId = 122, Level = LogLevel.Warning, Message = "could not undo {Step}: {Reason}")]
    private static partial void LogUndoFailed(ILogger logger, string step, string reason);
}

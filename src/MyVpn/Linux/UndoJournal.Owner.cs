namespace MyVpn.Linux;

internal sealed partial class UndoJournal
{
    /// <summary>
    /// The pid of the live daemon that holds the journal for <paramref name="tunName"/> in this network
    /// namespace; null when none runs (no journal, or the one a crashed run left).
    /// </summary>
    public static int? LiveOwner(string tunName)
    {
        var path = $"{Directory}/{tunName}.{NetworkNamespaceId()}.json";
        if (!File.Exists(path))
            return null;
        var pid = Load(path).Pid;
        return pid != Environment.ProcessId && IsLiveDaemon(pid) ? pid : null;
    }
}

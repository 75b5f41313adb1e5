namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>Network namespaces through <c>ip netns</c>, and commands run inside them.</summary>
internal static class Namespaces
{
    public static void Add(string name)
    {
        Shell.Check("ip", "netns", "add", name);
        Shell.Check("ip", "-n", name, "link", "set", "lo", "up");
    }

    public static IReadOnlyList<string> List() =>
        Shell.Check("ip", "netns", "list")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')[0])
            .ToList();

    /// <summary>The inode of the namespace: daemons name their undo journal after it.</summary>
    public static string Inode(string name) => Shell.Check("stat", "-L", "-c", "%i", $"/run/netns/{name}").Trim();

    public static IReadOnlyList<int> Pids(string name) =>
        Shell.Run("ip", ["netns", "pids", name]).Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(int.Parse)
            .ToList();

    /// <summary>Kills whatever still runs in the namespace (by pid), deletes it and any journal of a daemon that ran in it.</summary>
    public static void Delete(string name)
    {
        string? inode = null;
        try
        {
            inode = Inode(name);
        }
        catch (InvalidOperationException)
        {
        }
        foreach (var pid in Pids(name))
            Signals.Send(pid, Signals.SIGKILL);
        Shell.Run("ip", ["netns", "del", name]);
        if (inode is not null && Directory.Exists("/run/myvpn"))
            foreach (var journal in Directory.GetFiles("/run/myvpn", $"*.{inode}.json"))
                File.Delete(journal);
    }

    public static Shell.Result Exec(string name, params string[] command) =>
        Shell.Run("ip", ["netns", "exec", name, .. command]);

    public static string ExecChecked(string name, params string[] command) =>
        Shell.Check("ip", ["netns", "exec", name, .. command]);
}

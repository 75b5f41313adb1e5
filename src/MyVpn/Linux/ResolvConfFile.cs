using MyVpn.Net;

namespace MyVpn.Linux;

/// <summary>
/// The resolver file, <c>/etc/resolv.conf</c> (under <c>ip netns exec NS</c>, the namespace's own copy
/// from /etc/netns/NS, bind-mounted over it): what it was, so it can be put back (a file's content, a
/// symbolic link's target, or nothing), and the file with the pushed DNS. A file is rewritten in place,
/// never renamed over, so a bind mount keeps working; a symbolic link is replaced by a file and made again
/// on restore.
/// </summary>
internal static class ResolvConfFile
{
    public const string Path = "/etc/resolv.conf";

    /// <summary>What is at <paramref name="path"/> now, as the arguments of the undo step that restores it: kind, then content or target.</summary>
    public static string[] Snapshot(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is { } target)
            return ["symlink", target];
        return info.Exists ? ["file", File.ReadAllText(path)] : ["absent", ""];
    }

    /// <summary>Puts back what <see cref="Snapshot"/> saw.</summary>
    public static void Restore(string path, string kind, string saved)
    {
        try
        {
            switch (kind)
            {
                case "symlink":
                    File.Delete(path);
                    File.CreateSymbolicLink(path, saved);
                    break;
                case "file":
                    if (new FileInfo(path).LinkTarget is not null)
                        File.Delete(path);
                    File.WriteAllText(path, saved);
                    break;
                case "absent":
                    File.Delete(path);
                    break;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SetupException($"cannot restore {path}: {e.Message}", e);
        }
    }

    /// <summary>Writes <paramref name="content"/> to the file itself (a symbolic link is replaced by a file).</summary>
    public static void Write(string path, string content)
    {
        try
        {
            if (new FileInfo(path).LinkTarget is not null)
                File.Delete(path);
            File.WriteAllText(path, content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SetupException($"cannot write {path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// The file with the pushed servers and search domains in place of the old ones; the old <c>options</c>
    /// lines are kept, and so are the old nameservers (or search list) when nothing replaces them.
    /// </summary>
    public static string Compose(string tun, string? old, IReadOnlyList<IPv4Address> servers, IReadOnlyList<string> search)
    {
        var oldLines = (old ?? "").Split('\n').Select(l => l.Trim()).ToList();
        IEnumerable<string> Old(string keyword) =>
            oldLines.Where(l => l.StartsWith(keyword + " ", StringComparison.Ordinal) || l.StartsWith(keyword + "\t", StringComparison.Ordinal));
        var lines = new List<string> { $"# written by myvpn for {tun}: the pushed DNS; the previous file is put back when it stops" };
        lines.AddRange(servers.Count > 0 ? servers.Select(s => $"nameserver {s}") : Old("nameserver"));
        lines.AddRange(search.Count > 0 ? [$"search {string.Join(' ', search)}"] : Old("search").Concat(Old("domain")));
        lines.AddRange(Old("options"));
        return string.Join('\n', lines) + "\n";
    }
}

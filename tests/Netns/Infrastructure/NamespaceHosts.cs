namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>
/// A namespace's own /etc/hosts: <c>ip netns exec NS</c> bind-mounts /etc/netns/NS/hosts over /etc/hosts for
/// what it runs, so a daemon started there resolves names from it. <see cref="Write"/> rewrites the file in
/// place (same inode), so a daemon already running sees the change at its next lookup. Dispose deletes it (and the directory, when empty).
/// </summary>
internal sealed class NamespaceHosts : IDisposable
{
    private readonly string _directory;

    public NamespaceHosts(string ns, string content)
    {
        _directory = System.IO.Path.Combine("/etc/netns", ns);
        Directory.CreateDirectory(_directory);
        Path = System.IO.Path.Combine(_directory, "hosts");
        Write(content);
    }

    public string Path { get; }

    public void Write(string content)
    {
        using var file = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.Write);
        file.SetLength(0);
        using var writer = new StreamWriter(file);
        writer.Write(content);
    }

    /// <summary>Deletes the file, and the namespace's directory once nothing else of it is left there.</summary>
    public void Dispose()
    {
        File.Delete(Path);
        if (Directory.Exists(_directory) && !Directory.EnumerateFileSystemEntries(_directory).Any())
            Directory.Delete(_directory);
    }
}

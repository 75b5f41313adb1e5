namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>
/// A namespace's own /etc/resolv.conf: <c>ip netns exec NS</c> bind-mounts /etc/netns/NS/resolv.conf
/// over /etc/resolv.conf for what it runs (the daemon and the test's lookups alike). Dispose deletes it (and the directory, when empty).
/// </summary>
internal sealed class NamespaceResolvConf : IDisposable
{
    private readonly string _directory;

    public NamespaceResolvConf(string ns, string content)
    {
        _directory = System.IO.Path.Combine("/etc/netns", ns);
        Directory.CreateDirectory(_directory);
        Path = System.IO.Path.Combine(_directory, "resolv.conf");
        File.WriteAllText(Path, content);
    }

    public string Path { get; }

    public string Content => File.ReadAllText(Path);

    /// <summary>Deletes the file, and the namespace's directory once nothing else of it is left there.</summary>
    public void Dispose()
    {
        File.Delete(Path);
        if (Directory.Exists(_directory) && !Directory.EnumerateFileSystemEntries(_directory).Any())
            Directory.Delete(_directory);
    }
}

namespace MyVpn.Tests.Unit.Cli;

/// <summary>A private scratch directory for config and key files, deleted afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("myvpn-cli-").FullName;

    public string File(string name, string contents, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(path, contents);
        System.IO.File.SetUnixFileMode(path, mode);
        return path;
    }

    /// <summary>A key file holding a fresh key, mode 0600 unless told otherwise.</summary>
    public string KeyFile(string name, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite) =>
        File(name, Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + name.Length)).ToArray()) + "\n", mode);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

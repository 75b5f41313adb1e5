namespace MyVpn.Cli;

/// <summary>Unix permission bits of files (the daemon runs on Linux only; the guards satisfy the platform analyzer).</summary>
internal static class FileModes
{
    public const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static UnixFileMode Of(string path)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException();
        return File.GetUnixFileMode(path);
    }

    public static void Set(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException();
        File.SetUnixFileMode(path, mode);
    }

    /// <summary>Options that create a new file (never overwrite) with <paramref name="mode"/>.</summary>
    public static FileStreamOptions CreateNew(UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException();
        return new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode };
    }

    /// <summary>0644-style text of the permission bits.</summary>
    public static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
}

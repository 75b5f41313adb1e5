namespace MyVpn.Cli;

/// <summary>Unix permission bits as the key and config checks read them.</summary>
internal static class FileModes
{
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>True when neither the group nor others may touch the file (what ssh asks of a private key).</summary>
    public static bool IsPrivate(string path) => (File.GetUnixFileMode(path) & GroupOrOthers) == 0;

    /// <summary>0644-style text of the permission bits.</summary>
    public static string Octal(string path) => Convert.ToString((int)File.GetUnixFileMode(path) & 0x1FF, 8).PadLeft(4, '0');
}

namespace MyVpn.Cli;

/// <summary>Unix permission bits of the files myvpn creates for secrets.</summary>
internal static class FileModes
{
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
}

namespace MyVpn.Tests.Unit.Support;

/// <summary>Where the repository is: found by walking up from the test binaries to MyVpn.sln.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MyVpn.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"MyVpn.sln not found above {AppContext.BaseDirectory}");
    }
}

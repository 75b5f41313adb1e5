namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>Where the repository is (found by walking up to MyVpn.sln) and its captures/ folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Captures => Path.Combine(Root, "captures");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MyVpn.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"MyVpn.sln not found above {AppContext.BaseDirectory}");
    }
}

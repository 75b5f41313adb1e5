using Xunit;

namespace MyVpn.Tests.Netns.Infrastructure;

/// <summary>
/// Golden files under captures/. A missing or different snapshot fails the test; only with
/// UPDATE_SNAPSHOTS=1 is it (re)written, so a snapshot never appears silently.
/// </summary>
internal static class Snapshot
{
    public static bool Updating => Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1";

    public static void Match(string fileName, string actual)
    {
        var path = Path.Combine(RepoPaths.Captures, fileName);
        if (Updating)
        {
            Directory.CreateDirectory(RepoPaths.Captures);
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), $"snapshot {path} is missing: run with UPDATE_SNAPSHOTS=1 to create it, then review and commit it");
        Assert.Equal(File.ReadAllText(path), actual);
    }
}

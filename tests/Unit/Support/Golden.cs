using Xunit;

namespace MyVpn.Tests.Unit.Support;

/// <summary>
/// Golden files committed under tests/Unit. A missing or different file fails the test; only with
/// UPDATE_SNAPSHOTS=1 is it (re)written, so a golden file never appears or changes silently.
/// </summary>
internal static class Golden
{
    public static void Match(string pathUnderTestsUnit, string actual)
    {
        var path = Path.Combine(Tshark.RepositoryRoot(), "tests", "Unit", pathUnderTestsUnit);
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), $"golden file {path} is missing: run with UPDATE_SNAPSHOTS=1 to create it, then review and commit it");
        Assert.Equal(File.ReadAllText(path), actual);
    }
}

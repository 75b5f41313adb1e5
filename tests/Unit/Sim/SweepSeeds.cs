using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>
/// The seeds the unit suite's chaos sweep runs: the pinned ones (1-100, the same every run) and a
/// block of fresh ones, new every run, so each CI run explores runs no earlier one did. The fresh
/// block comes from <c>MYVPN_SIM_SEEDS</c> when set (<c>A-B</c>, <c>N</c> or a comma list of both;
/// run-tests.sh sets and prints it before the suite starts), otherwise from a hash of the commit and
/// the UTC time.
/// </summary>
internal static class SweepSeeds
{
    public const string Variable = "MYVPN_SIM_SEEDS";
    public const int FreshCount = 100;

    public static readonly IReadOnlyList<ulong> Pinned = Enumerable.Range(1, 100).Select(s => (ulong)s).ToList();

    private static readonly Lazy<(IReadOnlyList<ulong> Seeds, string Origin)> FreshSeeds = new(DrawFresh);

    /// <summary>This run's fresh seeds (the same for every test of one test run).</summary>
    public static IReadOnlyList<ulong> Fresh => FreshSeeds.Value.Seeds;

    /// <summary>Where the fresh seeds came from and how to run them again, for the log.</summary>
    public static string Origin => FreshSeeds.Value.Origin;

    /// <summary>Seeds from <c>A-B</c>, <c>N</c> or a comma list of both; a mistake names the variable and the bad part.</summary>
    public static IReadOnlyList<ulong> Parse(string text)
    {
        var seeds = new List<ulong>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var dash = part.IndexOf('-');
            var firstText = dash < 0 ? part : part[..dash];
            var lastText = dash < 0 ? part : part[(dash + 1)..];
            if (!ulong.TryParse(firstText, out var first) || !ulong.TryParse(lastText, out var last) || last < first || last - first >= 100_000)
                throw new FormatException($"{Variable}: '{part}' is not a seed N or a range A-B of at most 100000 seeds (e.g. {Variable}=5000-5099,17)");
            for (var seed = first; seed <= last && seed >= first; seed++)
                seeds.Add(seed);
        }
        if (seeds.Count == 0)
            throw new FormatException($"{Variable}: '{text}' names no seed (e.g. {Variable}=5000-5099)");
        return seeds;
    }

    /// <summary>The first of <see cref="FreshCount"/> consecutive seeds, from a hash of the commit and the time (never in the pinned range).</summary>
    public static ulong FreshBase(string commit, DateTime utcNow)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{commit} {utcNow:O}"));
        return 1_000_000 + BitConverter.ToUInt64(hash) % 1_000_000_000_000;
    }

    private static (IReadOnlyList<ulong>, string) DrawFresh()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } text)
            return (Parse(text), $"fresh seeds {text} from {Variable}");
        var commit = Commit();
        var first = FreshBase(commit, DateTime.UtcNow);
        var range = $"{first}-{first + FreshCount - 1}";
        return (Parse(range), $"fresh seeds {range} drawn from commit {commit[..Math.Min(12, commit.Length)]} and the time (again: {Variable}={range})");
    }

    private static string Commit()
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "rev-parse HEAD")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = AppContext.BaseDirectory,
            })!;
            var head = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 && head.Length > 0 ? head : "no-commit";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "no-git";
        }
    }
}

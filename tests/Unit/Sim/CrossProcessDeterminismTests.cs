using System.Security.Cryptography;
using Xunit;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>
/// A seed gives the same run in two separate processes: the same fingerprint and the same trace, line
/// for line. Each process has its own string-hash randomisation (on by default in .NET), and the two
/// differ in how the runtime compiles and schedules (tiered compilation, PGO, thread-pool minimum,
/// garbage collector), so anything in the run that depends on the process shows as a difference.
/// </summary>
public sealed class CrossProcessDeterminismTests : IDisposable
{
    private static readonly Dictionary<string, string> First = new()
    {
        ["DOTNET_TieredCompilation"] = "0",
        ["DOTNET_gcServer"] = "0",
    };

    private static readonly Dictionary<string, string> Second = new()
    {
        ["DOTNET_TieredPGO"] = "0",
        ["DOTNET_TC_QuickJitForLoops"] = "0",
        ["DOTNET_ThreadPool_ForceMinWorkerThreads"] = "7",
        ["DOTNET_gcServer"] = "1",
    };

    private readonly string _dir = Directory.CreateTempSubdirectory("myvpn-sim-determinism-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<ulong> Seeds() => new(17, 56, SweepSeeds.Fresh[0]);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_seed_runs_the_same_in_two_processes_to_the_last_trace_line(ulong seed)
    {
        var firstTrace = Path.Combine(_dir, "first.trace");
        var secondTrace = Path.Combine(_dir, "second.trace");

        var first = SimProcess.Run(First, "run", "--seed", $"{seed}", "--quiet", "--trace", firstTrace);
        var second = SimProcess.Run(Second, "run", "--seed", $"{seed}", "--quiet", "--trace", secondTrace);

        Assert.True(first.Error == "" && second.Error == "", $"{first.Error}\n{second.Error}");
        Assert.Equal(first.Exit, second.Exit);
        var firstLines = File.ReadAllLines(firstTrace);
        var secondLines = File.ReadAllLines(secondTrace);
        Assert.NotEmpty(firstLines);
        if (FirstDifference(firstLines, secondLines) is { } difference)
            Assert.Fail($"seed {seed}: the two processes' traces differ at line {difference}:\n" +
                        $"  first:  {Line(firstLines, difference)}\n  second: {Line(secondLines, difference)}\n" +
                        $"replay: dotnet run --project src/MyVpn.Sim -c Release -- run --seed {seed} --trace FILE");
        Assert.Equal(Fingerprint(first.Output), Fingerprint(second.Output));
        Assert.Equal(first.Output, second.Output);
        // The fingerprint is the SHA-256 of the trace's lines: the file is the whole trace.
        Assert.Equal(Fingerprint(first.Output), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(firstTrace))));
    }

    /// <summary>The 1-based number of the first line that differs (or that one trace lacks); null if none.</summary>
    private static int? FirstDifference(string[] first, string[] second)
    {
        for (var i = 0; i < Math.Max(first.Length, second.Length); i++)
        {
            if (i >= first.Length || i >= second.Length || first[i] != second[i])
                return i + 1;
        }
        return null;
    }

    private static string Line(string[] lines, int number) => number <= lines.Length ? lines[number - 1] : "(the trace ended)";

    private static string Fingerprint(string output)
    {
        var marker = output.IndexOf("fingerprint ", StringComparison.Ordinal);
        Assert.True(marker >= 0, $"no fingerprint in:\n{output}");
        return output.Substring(marker + "fingerprint ".Length, 64);
    }
}

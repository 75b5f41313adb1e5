using System.Runtime.CompilerServices;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace MyVpn.Bench;

/// <summary>Runs the micro benchmarks: <c>dotnet run -c Release --project bench/MyVpn.Bench -- --filter '*' --job short</c>.</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var config = DefaultConfig.Instance;
        // Results go to bench/BenchmarkDotNet.Artifacts (git-ignored) wherever the command is run from.
        var benchFolder = Path.GetFullPath(Path.Combine(SourceFolder(), ".."));
        if (Directory.Exists(benchFolder))
            config = config.WithArtifactsPath(Path.Combine(benchFolder, "BenchmarkDotNet.Artifacts"));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }

    private static string SourceFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? ".";
}

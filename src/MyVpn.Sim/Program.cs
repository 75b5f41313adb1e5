using MyVpn.Sim.Runner;

namespace MyVpn.Sim;

/// <summary>The simulator's runner: <c>demo</c>, <c>run --seed N</c>, <c>sweep --seeds A-B</c>, <c>scale --clients N</c>.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        try
        {
            var line = CommandLine.Parse(args, new HashSet<string>(StringComparer.Ordinal) { "--quiet" });
            switch (line.Command)
            {
                case "demo":
                    line.Allow("--seed");
                    return DemoCommand.Run(line.Seed("--seed", fallback: 1), Console.Out);
                case "run":
                    line.Allow("--seed", "--quiet");
                    return RunCommand.Run(line.Seed("--seed"), line.Has("--quiet"), Console.Out);
                case "sweep":
                    line.Allow("--seeds", "--jobs");
                    var (first, last) = line.SeedRange("--seeds");
                    return SweepCommand.Run(first, last, line.Int("--jobs", Environment.ProcessorCount, 1, 256), Console.Out, TimeProvider.System);
                case "scale":
                    line.Allow("--seed", "--clients");
                    return ScaleCommand.Run(line.Seed("--seed", fallback: 1), line.Int("--clients", 1000, 1, 60000), Console.Out, TimeProvider.System);
                default:
                    throw new UsageException($"unknown command '{line.Command}'; {CommandLine.Usage}");
            }
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"myvpn-sim: {e.Message}");
            return 2;
        }
    }
}

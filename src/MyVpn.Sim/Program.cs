namespace MyVpn.Sim;

/// <summary>The simulator's runner: <c>demo</c>, <c>run --seed N</c>, <c>sweep --seeds A-B</c>, <c>scale --clients N</c> (see <c>--help</c>).</summary>
public static class Program
{
    public static int Main(string[] args) => Runner.CommandLine.Run(args);
}

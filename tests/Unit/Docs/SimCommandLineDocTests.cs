using System.CommandLine;
using Xunit;

namespace MyVpn.Tests.Unit.Docs;

/// <summary>
/// Every simulator command line the docs show (<c>dotnet run --project src/MyVpn.Sim … -- run --seed 17</c>)
/// names a command the simulator's runner has (src/MyVpn.Sim/Runner/CommandLine.cs) and only options
/// of that command.
/// </summary>
public sealed class SimCommandLineDocTests
{
    private static readonly RootCommand Tree = MyVpn.Sim.Runner.CommandLine.Build();

    public static TheoryData<string> Files => [.. DocText.MarkdownFiles, "captures/README.md"];

    /// <summary>The command and options after the <c>--</c> of a <c>dotnet run --project src/MyVpn.Sim</c> line; null if the line is none.</summary>
    public static (string Command, List<string> Options)? ParseSimLine(string text, out string? problem)
    {
        problem = null;
        var tokens = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).TakeWhile(t => t != "#" && t != "|").ToList();
        var project = tokens.IndexOf("src/MyVpn.Sim");
        var separator = tokens.IndexOf("--", project + 1);
        if (project < 0 || separator < 0 || separator + 1 >= tokens.Count)
            return null;
        var name = tokens[separator + 1];
        if (Tree.Subcommands.FirstOrDefault(c => c.Name == name) is not { } command)
        {
            problem = $"the simulator has no command '{name}'";
            return (name, []);
        }
        var known = command.Options.SelectMany(o => (string[])[o.Name, .. o.Aliases]).Append("--help").ToHashSet(StringComparer.Ordinal);
        var options = tokens.Skip(separator + 2).Select(t => t.Trim('(', ')', ',', '.', '`')).Where(t => t.StartsWith("--", StringComparison.Ordinal)).ToList();
        var unknown = options.Where(o => !known.Contains(o)).ToList();
        if (unknown.Count > 0)
            problem = $"'{name}' has no option {string.Join(", ", unknown)}";
        return (name, options);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_simulator_command_line_in_a_doc_exists_with_its_options(string file)
    {
        var lines = DocText.CodeLines(DocText.Read(file));

        var problems = new List<string>();
        var checkedLines = 0;
        foreach (var (text, line) in lines)
        {
            if (ParseSimLine(text, out var problem) is null)
                continue;
            checkedLines++;
            if (problem is not null)
                problems.Add($"{file}:{line}: {problem}: {text.Trim()}");
        }
        Assert.Empty(problems);
        if (file is "README.md" or "docs/design.md")
            Assert.True(checkedLines >= 4, $"{file}: the scan found only {checkedLines} simulator command lines; has the format changed?");
    }

    [Theory]
    [InlineData("dotnet run --project src/MyVpn.Sim -c Release -- run --seed 17 --trace t.txt", "run", null)]
    [InlineData("dotnet run --project src/MyVpn.Sim -- sweep --seeds 1-100000 --jobs 2   # a long sweep", "sweep", null)]
    [InlineData("dotnet run --project src/MyVpn.Sim -- run --seeds 1-5", "run", "'run' has no option --seeds")]
    [InlineData("dotnet run --project src/MyVpn.Sim -- replay --seed 3", "replay", "the simulator has no command 'replay'")]
    public void The_scan_finds_the_command_and_flags_what_it_does_not_have(string line, string command, string? expectedProblem)
    {
        var parsed = ParseSimLine(line, out var problem);

        Assert.Equal(command, parsed?.Command);
        Assert.Equal(expectedProblem, problem);
    }
}

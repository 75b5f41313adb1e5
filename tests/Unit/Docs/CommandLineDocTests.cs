using System.CommandLine;
using System.Text.RegularExpressions;
using Xunit;

namespace MyVpn.Tests.Unit.Docs;

/// <summary>
/// Every option the docs show for <c>myvpn</c> exists: in a command line in a code block or code span
/// (<c>myvpn server --key-file psk.key …</c>) on that very command, and a bare option in a code span
/// (<c>--no-offload</c>) on some command of the tree the daemon really parses (src/MyVpn/Cli/CommandLine.cs).
/// </summary>
public sealed partial class CommandLineDocTests
{
    private static readonly RootCommand Tree = MyVpn.Cli.CommandLine.Build();

    /// <summary>Every name and alias of the options <paramref name="command"/> accepts, its ancestors' recursive ones (--help) included.</summary>
    private static HashSet<string> OptionsOf(IReadOnlyList<Command> path)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < path.Count; i++)
            foreach (var option in path[i].Options)
                if (i == path.Count - 1 || option.Recursive)
                    names.UnionWith([option.Name, .. option.Aliases]);
        return names;
    }

    private static IEnumerable<IReadOnlyList<Command>> AllPaths(IReadOnlyList<Command> path)
    {
        yield return path;
        foreach (var sub in path[^1].Subcommands)
            foreach (var deeper in AllPaths([.. path, sub]))
                yield return deeper;
    }

    private static readonly HashSet<string> AnyOption = AllPaths([Tree]).SelectMany(OptionsOf).ToHashSet(StringComparer.Ordinal);

    /// <summary>A command line that starts with <c>myvpn</c>: the command it names and the options it uses; null if it is no command line (an error message quoted, a placeholder command).</summary>
    public static (string Command, List<string> Options)? ParseCommandLine(string text, out string? problem)
    {
        problem = null;
        var tokens = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .TakeWhile(t => t != "#" && t != "|" && t != "&&" && t != ";")
            .Select(t => t.Trim('[', ']'))
            .ToList();
        var at = tokens.IndexOf("myvpn");
        if (at < 0)
            return null;
        IReadOnlyList<Command> path = [Tree];
        var i = at + 1;
        for (; i < tokens.Count && path[^1].Subcommands.FirstOrDefault(c => c.Name == tokens[i]) is { } sub; i++)
            path = [.. path, sub];
        if (i < tokens.Count && !tokens[i].StartsWith('-') && path.Count == 1)
            return null; // `myvpn <command> --help`, `myvpn server: cannot listen …`: not a command line
        var command = string.Join(' ', path.Skip(1).Select(c => c.Name));
        var known = OptionsOf(path);
        var options = tokens.Skip(i).Where(t => t.StartsWith('-') && t.Length > 1).ToList();
        var unknown = options.Where(o => !known.Contains(o.Split('=')[0])).ToList();
        if (unknown.Count > 0)
            problem = $"'myvpn {command}' has no option {string.Join(", ", unknown)}";
        return (command, options);
    }

    public static TheoryData<string> Files => [.. DocText.MarkdownFiles];

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_option_of_a_myvpn_command_line_in_a_doc_exists_on_that_command(string file)
    {
        var lines = DocText.CodeLines(DocText.Read(file));

        var problems = new List<string>();
        var checkedLines = 0;
        foreach (var (text, line) in lines)
        {
            if (ParseCommandLine(text, out var problem) is null)
                continue;
            checkedLines++;
            if (problem is not null)
                problems.Add($"{file}:{line}: {problem}: {text.Trim()}");
        }
        Assert.Empty(problems);
        if (file is "README.md" or "docs/operations.md")
            Assert.True(checkedLines > 3, $"{file}: the scan found only {checkedLines} myvpn command lines; has the format changed?");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_option_a_doc_names_in_a_code_span_exists_on_some_myvpn_command(string file)
    {
        var problems = DocText.InlineSpans(DocText.Read(file))
            .Where(span => BareOption().IsMatch(span.Code))
            .Select(span => (Option: span.Code.Split(' ')[0], span.Line))
            .Where(span => !AnyOption.Contains(span.Option))
            .Select(span => $"{file}:{span.Line}: no myvpn command has an option {span.Option}")
            .ToList();
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("sudo myvpn client --server SERVER:9525 --key-file psk.key [--default-route]   # on each client", "client", null)]
    [InlineData("myvpn pcap decrypt capture.pcap --keylog FILE -o inner.pcap", "pcap decrypt", null)]
    [InlineData("myvpn server … --keylog /root/keys.log", "server", null)]
    [InlineData("myvpn genkey -o psk.key", "genkey", null)]
    [InlineData("myvpn client --server x --listen 0.0.0.0:1", "client", "'myvpn client' has no option --listen")]
    [InlineData("myvpn server --keyfile psk.key", "server", "'myvpn server' has no option --keyfile")]
    [InlineData("myvpn pcap inspect wan.pcap --keylog k.log", "pcap inspect", "'myvpn pcap inspect' has no option --keylog")]
    public void The_scan_finds_the_command_and_flags_an_option_it_does_not_have(string line, string command, string? expectedProblem)
    {
        var parsed = ParseCommandLine(line, out var problem);
        Assert.Equal(command, parsed?.Command);
        Assert.Equal(expectedProblem, problem);
    }

    [Theory]
    [InlineData("myvpn <command> --help")]
    [InlineData("myvpn server: cannot listen on TCP 0.0.0.0:9525: Address already in use")]
    [InlineData("dotnet run --project src/MyVpn -- …")]
    public void Lines_that_are_no_myvpn_command_line_are_not_scanned(string line)
    {
        Assert.Null(ParseCommandLine(line, out _));
    }

    [Fact]
    public void A_bare_long_option_is_checked_against_every_command_s_options()
    {
        Assert.Contains("--no-offload", AnyOption);
        Assert.Contains("-c", AnyOption);
        Assert.Matches(BareOption(), "--threads 2");
        Assert.DoesNotMatch(BareOption(), "-p");
        Assert.DoesNotMatch(BareOption(), "dotnet test --filter X");
        Assert.DoesNotContain("--no-such-flag", AnyOption);
    }

    /// <summary>
    /// A code span that is a long option, maybe with a value: `--threads 2`, `--block CIDR`. (A lone short
    /// option, `-p`, is as likely another tool's, such as bench/compare.sh's.)
    /// </summary>
    [GeneratedRegex(@"^--[a-z][a-z0-9-]*( [^ ]+)?$")]
    private static partial Regex BareOption();
}

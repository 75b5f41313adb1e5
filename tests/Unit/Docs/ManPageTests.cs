using System.CommandLine;
using System.CommandLine.Help;
using System.Text.RegularExpressions;
using Xunit;

namespace MyVpn.Tests.Unit.Docs;

/// <summary>
/// The man page the Debian package installs, packaging/man/myvpn.8, covers the command line the daemon
/// really parses (src/MyVpn/Cli/CommandLine.cs): a section <c>.SS "myvpn COMMAND"</c> for every command,
/// naming each option of that command, and no section or long option that no longer exists.
/// </summary>
public sealed partial class ManPageTests
{
    private const string ManPage = "packaging/man/myvpn.8";

    private static readonly RootCommand Tree = MyVpn.Cli.CommandLine.Build();

    /// <summary>Every visible command as its path from the root ("", "genkey", "pcap inspect" …) with the command.</summary>
    private static IEnumerable<(string Path, Command Command, IReadOnlyList<Command> Ancestors)> Commands(Command command, string path, IReadOnlyList<Command> ancestors)
    {
        yield return (path, command, ancestors);
        foreach (var sub in command.Subcommands.Where(c => !c.Hidden))
            foreach (var deeper in Commands(sub, path.Length == 0 ? sub.Name : path + " " + sub.Name, [.. ancestors, command]))
                yield return deeper;
    }

    private static List<(string Path, Command Command, IReadOnlyList<Command> Ancestors)> AllCommands() => Commands(Tree, "", []).ToList();

    /// <summary>The names and aliases a section must show: the command's visible options; --help only on the root, which lists it once for all.</summary>
    private static IEnumerable<string> RequiredNames(Command command) =>
        command.Options
            .Where(o => !o.Hidden && (command is RootCommand || o is not HelpOption))
            .SelectMany(o => new[] { o.Name }.Concat(o.Aliases))
            .Where(name => name.StartsWith('-')); // not the Windows spellings of --help, /h and /?

    /// <summary>Every name and alias the command accepts, its ancestors' recursive options included.</summary>
    private static HashSet<string> AcceptedNames(Command command, IReadOnlyList<Command> ancestors) =>
        command.Options.Concat(ancestors.SelectMany(a => a.Options.Where(o => o.Recursive)))
            .SelectMany(o => new[] { o.Name }.Concat(o.Aliases))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The man page's subsections by title (<c>.SS "myvpn server"</c> → "myvpn server"), each as plain text: font
    /// escapes removed, <c>\-</c> as "-", <c>\(aq</c> as "'".
    /// </summary>
    internal static Dictionary<string, string> Sections(string troff)
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        string? title = null;
        var text = new List<string>();
        foreach (var line in troff.Split('\n'))
        {
            if (line.StartsWith(".SS ", StringComparison.Ordinal) || line.StartsWith(".SH ", StringComparison.Ordinal))
            {
                if (title is not null)
                    sections[title] = string.Join('\n', text);
                title = line.StartsWith(".SS ", StringComparison.Ordinal) ? Plain(line[4..]).Trim().Trim('"') : null;
                text.Clear();
            }
            else if (title is not null && !line.StartsWith(".\\\"", StringComparison.Ordinal))
            {
                text.Add(Plain(line));
            }
        }
        if (title is not null)
            sections[title] = string.Join('\n', text);
        return sections;
    }

    internal static string Plain(string troff) =>
        FontEscape().Replace(troff, "").Replace("\\-", "-", StringComparison.Ordinal).Replace("\\(aq", "'", StringComparison.Ordinal);

    private static bool Names(string text, string option) =>
        Regex.IsMatch(text, @"(?<![\w-])" + Regex.Escape(option) + @"(?![\w-])");

    [Fact]
    public void Every_command_has_a_section_naming_each_of_its_options()
    {
        var sections = Sections(DocText.Read(ManPage));

        var problems = new List<string>();
        foreach (var (path, command, _) in AllCommands())
        {
            var title = ("myvpn " + path).TrimEnd();
            if (!sections.TryGetValue(title, out var text))
            {
                problems.Add($"{ManPage}: no section .SS \"{title}\"; add one describing the command and its options");
                continue;
            }
            problems.AddRange(RequiredNames(command)
                .Where(name => !Names(text, name))
                .Select(name => $"{ManPage}: section \"{title}\" does not name {name}; add it (as \\-\\- in troff) with what it does"));
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void Every_section_and_long_option_in_the_man_page_exists_in_the_command_line()
    {
        var commands = AllCommands().ToDictionary(c => ("myvpn " + c.Path).TrimEnd(), StringComparer.Ordinal);
        var sections = Sections(DocText.Read(ManPage));

        var problems = new List<string>();
        foreach (var (title, text) in sections.Where(s => s.Key.StartsWith("myvpn", StringComparison.Ordinal)))
        {
            if (!commands.TryGetValue(title, out var found))
            {
                problems.Add($"{ManPage}: section \"{title}\" names no myvpn command");
                continue;
            }
            var accepted = AcceptedNames(found.Command, found.Ancestors);
            problems.AddRange(LongOption().Matches(text).Select(m => m.Value).Distinct()
                .Where(option => !accepted.Contains(option))
                .Select(option => $"{ManPage}: section \"{title}\" names {option}, which '{title}' does not accept"));
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.True(sections.Count >= 6, $"only {sections.Count} sections found in {ManPage}; has its format changed?");
    }

    [Fact]
    public void Section_reader_unescapes_troff_and_splits_at_subsection_headings()
    {
        const string troff = ".SH COMMANDS\n.SS \"myvpn genkey\"\n.TP\n.BR \\-o \", \" \\-\\-output \" \\fIFILE\\fR\"\n.SS \"myvpn x\"\nplain\n.SH FILES\n.TP\nnot in a section\n";

        var sections = Sections(troff);

        Assert.Equal(["myvpn genkey", "myvpn x"], sections.Keys.Order(StringComparer.Ordinal));
        Assert.True(Names(sections["myvpn genkey"], "--output"));
        Assert.True(Names(sections["myvpn genkey"], "-o"));
        Assert.False(Names(sections["myvpn genkey"], "--out"));
        Assert.DoesNotContain("not in a section", sections["myvpn x"]);
    }

    [Fact]
    public void The_root_section_must_name_help_and_version()
    {
        var required = RequiredNames(Tree).ToList();

        Assert.Contains("--help", required);
        Assert.Contains("--version", required);
        Assert.DoesNotContain("--help", RequiredNames(Tree.Subcommands.Single(c => c.Name == "genkey")));
    }

    /// <summary>A font change: \fB, \fI, \fR, \fP, \f(CW, \f[…].</summary>
    [GeneratedRegex(@"\\f(\[[^\]]*\]|\([A-Z]{2}|[A-Z1-4P])")]
    private static partial Regex FontEscape();

    [GeneratedRegex(@"(?<![\w-])--[a-z][a-z0-9-]*")]
    private static partial Regex LongOption();
}

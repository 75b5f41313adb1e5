using System.Text.RegularExpressions;

namespace MyVpn.Tests.Unit.Docs;

/// <summary>The repository's Markdown docs as text: their fenced blocks, inline code spans and sections.</summary>
public static partial class DocText
{
    /// <summary>The checkout's root: the directory holding MyVpn.sln, found upwards from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MyVpn.sln")))
                return dir.FullName;
        throw new InvalidOperationException("MyVpn.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>README.md and every docs/*.md, as paths relative to the root.</summary>
    public static IReadOnlyList<string> MarkdownFiles { get; } =
    [
        "README.md",
        .. Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Select(p => Path.GetRelativePath(Root, p)).Order(StringComparer.Ordinal),
    ];

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath)).ReplaceLineEndings("\n");

    /// <summary>A fenced block: its info string ("sh", "toml", "" …), its text and the 1-based line of its opening fence.</summary>
    public sealed record Block(string Language, string Text, int Line);

    public static IEnumerable<Block> FencedBlocks(string markdown)
    {
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var open = lines[i].TrimStart();
            if (!open.StartsWith("```", StringComparison.Ordinal))
                continue;
            var language = open[3..].Trim();
            var body = new List<string>();
            var j = i + 1;
            for (; j < lines.Length && !lines[j].TrimStart().StartsWith("```", StringComparison.Ordinal); j++)
                body.Add(lines[j]);
            yield return new Block(language, string.Join('\n', body), i + 1);
            i = j;
        }
    }

    /// <summary>The markdown with every fenced block blanked out (its lines kept, empty), so line numbers still match.</summary>
    public static string Prose(string markdown)
    {
        var lines = markdown.Split('\n');
        var inBlock = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var isFence = lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal);
            if (isFence || inBlock)
                lines[i] = "";
            if (isFence)
                inBlock = !inBlock;
        }
        return string.Join('\n', lines);
    }

    /// <summary>Every inline code span (`…`) of the prose, outside fenced blocks, with its 1-based line.</summary>
    public static IEnumerable<(string Code, int Line)> InlineSpans(string markdown)
    {
        var lines = Prose(markdown).Split('\n');
        for (var i = 0; i < lines.Length; i++)
            foreach (Match m in InlineSpan().Matches(lines[i]))
                yield return (m.Groups[1].Value, i + 1);
    }

    /// <summary>Every line of code in a document: each line of each fenced block, then each inline span, with its line number.</summary>
    public static List<(string Text, int Line)> CodeLines(string markdown)
    {
        var lines = new List<(string Text, int Line)>();
        foreach (var block in FencedBlocks(markdown))
            lines.AddRange(block.Text.Split('\n').Select((text, i) => (text, block.Line + 1 + i)));
        lines.AddRange(InlineSpans(markdown));
        return lines;
    }

    /// <summary>The text of the section whose heading starts with <paramref name="headingStart"/> (e.g. "## 8."), up to the next heading of that level or higher.</summary>
    public static string Section(string markdown, string headingStart)
    {
        var level = headingStart.TakeWhile(c => c == '#').Count();
        var lines = markdown.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith(headingStart, StringComparison.Ordinal));
        if (start < 0)
            throw new InvalidOperationException($"no heading '{headingStart}'");
        var end = start + 1;
        for (; end < lines.Length; end++)
        {
            var hashes = lines[end].TakeWhile(c => c == '#').Count();
            if (hashes > 0 && hashes <= level && lines[end].Length > hashes && lines[end][hashes] == ' ')
                break;
        }
        return string.Join('\n', lines[start..end]);
    }

    /// <summary>
    /// The rows below the header of the first Markdown table in <paramref name="section"/> (or of the first
    /// whose header starts with <paramref name="header"/>), as trimmed cells.
    /// </summary>
    public static List<string[]> TableRows(string section, string header = "|")
    {
        var rows = new List<string[]>();
        var lines = section.Split('\n');
        var i = Array.FindIndex(lines, l => l.StartsWith(header, StringComparison.Ordinal));
        if (i < 0)
            throw new InvalidOperationException("no table in the section");
        for (i += 2; i < lines.Length && lines[i].StartsWith('|'); i++)
            rows.Add(lines[i].Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray());
        return rows;
    }

    [GeneratedRegex("`([^`\n]+)`")]
    private static partial Regex InlineSpan();
}

using System.Text.RegularExpressions;
using Xunit;

namespace MyVpn.Tests.Unit.Docs;

/// <summary>
/// The README's layout lists every source folder and nothing that is not there, and docs/design.md's
/// "Where to find" table names only paths that exist: a folder moved or renamed fails here until the
/// docs follow it.
/// </summary>
public sealed partial class ReadmeLayoutTests
{
    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MyVpn.sln")))
                return dir.FullName;
        throw new InvalidOperationException("MyVpn.sln not found");
    }

    /// <summary>The lines of the fenced block right after <paramref name="heading"/>.</summary>
    private static string[] BlockAfter(string markdown, string heading)
    {
        var start = markdown.IndexOf(heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no '{heading}' section");
        var open = markdown.IndexOf("```", start, StringComparison.Ordinal);
        var body = markdown.IndexOf('\n', open) + 1;
        var close = markdown.IndexOf("```", body, StringComparison.Ordinal);
        return markdown[body..close].Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>
    /// Each entry of the layout block as a path from the repository root: an entry indented two spaces
    /// deeper than a folder above it lives inside that folder.
    /// </summary>
    internal static List<string> LayoutEntries(string markdown)
    {
        var entries = new List<string>();
        var parents = new List<(int Indent, string Path)>();
        foreach (var line in BlockAfter(markdown, "## Layout"))
        {
            var indent = line.Length - line.TrimStart().Length;
            var name = line.TrimStart().Split(' ', 2)[0];
            parents.RemoveAll(p => p.Indent >= indent);
            var path = parents.Count == 0 ? name : parents[^1].Path + name;
            entries.Add(path);
            if (path.EndsWith('/'))
                parents.Add((indent, path));
        }
        return entries;
    }

    private static IEnumerable<string> SourceFolders(string root) =>
        Directory.EnumerateDirectories(Path.Combine(root, "src"), "*", SearchOption.AllDirectories)
            .Select(d => Path.GetRelativePath(root, d).Replace('\\', '/') + "/")
            .Where(d => !d.Split('/').Any(part => part is "bin" or "obj" || part.StartsWith('.')));

    [Fact]
    public void Layout_parser_nests_indented_entries_under_their_folder()
    {
        const string markdown = "## Layout\n\n```\nMyVpn.sln   the solution\nsrc/A/   a\n  B/     b\n    C/   c\n  D/     d\ndocs/    e\n```\n";

        Assert.Equal(["MyVpn.sln", "src/A/", "src/A/B/", "src/A/B/C/", "src/A/D/", "docs/"], LayoutEntries(markdown));
    }

    [Fact]
    public void Readme_layout_lists_every_source_folder_and_only_folders_that_exist()
    {
        var root = Root();
        var entries = LayoutEntries(File.ReadAllText(Path.Combine(root, "README.md")));

        var missing = entries.Where(e => e.EndsWith('/') ? !Directory.Exists(Path.Combine(root, e)) : !File.Exists(Path.Combine(root, e))).ToList();
        Assert.Empty(missing);
        var unlisted = SourceFolders(root).Except(entries).Order(StringComparer.Ordinal).ToList();
        Assert.Empty(unlisted);
    }

    [Fact]
    public void Readme_layout_covers_every_top_level_folder()
    {
        var root = Root();
        var entries = LayoutEntries(File.ReadAllText(Path.Combine(root, "README.md")));

        var topLevel = Directory.EnumerateDirectories(root).Select(Path.GetFileName)
            .Where(name => !name!.StartsWith('.') && name is not ("bin" or "obj" or "BenchmarkDotNet.Artifacts"));
        var uncovered = topLevel.Where(name => !entries.Any(e => e.StartsWith(name + "/", StringComparison.Ordinal))).ToList();
        Assert.Empty(uncovered);
    }

    [GeneratedRegex(@"`([A-Za-z0-9_.\-]+/[^`]*)`")]
    private static partial Regex BacktickedPath();

    [Fact]
    public void Design_where_to_find_table_names_only_paths_that_exist()
    {
        var root = Root();
        var design = File.ReadAllText(Path.Combine(root, "docs", "design.md"));
        var table = design[design.IndexOf("## Where to find", StringComparison.Ordinal)..];

        var paths = BacktickedPath().Matches(table).Select(m => m.Groups[1].Value).ToList();

        Assert.True(paths.Count > 20, $"only {paths.Count} paths found in the table");
        var missing = paths.Where(p => !File.Exists(Path.Combine(root, p)) && !Directory.Exists(Path.Combine(root, p))).ToList();
        Assert.Empty(missing);
    }
}

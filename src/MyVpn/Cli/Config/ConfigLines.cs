using System.Text.RegularExpressions;

namespace MyVpn.Cli.Config;

/// <summary>
/// Where each key of a config file is: its line number, at the top or in the n-th <c>[[clients]]</c> table,
/// so an error found after the file was parsed (a bad value, a key file that cannot be read) names the line.
/// Read from the text line by line (a key at the start of a line, then <c>=</c>); a key it cannot place
/// (inside a multi-line value, an inline table) has no line and its error names file and key only.
/// </summary>
internal sealed partial class ConfigLines
{
    /// <summary>The table of the keys at the top of the file.</summary>
    public const int Top = 0;

    private readonly Dictionary<(int Table, string Key), int> _keys = [];
    private readonly List<int> _tables = [];

    public static readonly ConfigLines None = new();

    public static ConfigLines Read(string text)
    {
        var lines = new ConfigLines();
        var table = Top;
        var number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            var trimmed = line.Trim();
            if (trimmed.StartsWith("[[", StringComparison.Ordinal))
            {
                lines._tables.Add(number);
                table = lines._tables.Count;
            }
            else if (trimmed.StartsWith('['))
            {
                table = -1; // a table the models do not have: its keys are reported unknown without a line
            }
            else if (KeyLine().Match(line) is { Success: true } match)
            {
                lines._keys.TryAdd((table, match.Groups["key"].Value), number);
            }
        }
        return lines;
    }

    /// <summary>The line of <paramref name="key"/> at the top (<see cref="Top"/>) or in the n-th [[clients]] table (1-based).</summary>
    public int? Of(string key, int table = Top) => _keys.TryGetValue((table, key), out var line) ? line : null;

    /// <summary>The key set on <paramref name="line"/>, if a key is.</summary>
    public string? KeyOn(int line) => _keys.FirstOrDefault(k => k.Value == line).Key.Key;

    /// <summary>The line of the n-th [[clients]] header (1-based).</summary>
    public int? OfTable(int table) => table >= 1 && table <= _tables.Count ? _tables[table - 1] : null;

    /// <summary>"FILE:LINE: KEY" when the line is known, else "FILE: KEY".</summary>
    public string Where(string? path, string key, int table = Top) => $"{At(path, key, table)}: {key}";

    /// <summary>"FILE:LINE" of the key (of its table's header if the key has no line of its own), else "FILE".</summary>
    public string At(string? path, string key, int table = Top) =>
        (Of(key, table) ?? (table == Top ? null : OfTable(table))) is { } line ? $"{path}:{line}" : $"{path}";

    [GeneratedRegex(@"^\s*(?<q>[""']?)(?<key>[A-Za-z0-9_-]+)\k<q>\s*=")]
    private static partial Regex KeyLine();
}

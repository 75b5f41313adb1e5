using System.Text.Json;
using MyVpn.Cli.Status;
using MyVpn.Tests.Unit.Status;
using Xunit;

namespace MyVpn.Tests.Unit.Docs;

/// <summary>
/// docs/operations.md "Status" describes what <c>myvpn status</c> really prints: its table of JSON keys is
/// exactly the keys the daemons write, and its example table is the renderer's output for the sample server.
/// </summary>
public sealed class StatusDocTests
{
    private static readonly string Section = DocText.Section(DocText.Read("docs/operations.md"), "## Status");

    /// <summary>Every property name in the JSON, nested ones included, but not the drop reasons (values, listed by the docs as a whole).</summary>
    private static IEnumerable<string> Keys(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Array)
            return element.EnumerateArray().SelectMany(Keys);
        if (element.ValueKind != JsonValueKind.Object)
            return [];
        return element.EnumerateObject().SelectMany(p => p.Name == "drops" ? [p.Name] : Keys(p.Value).Prepend(p.Name));
    }

    [Fact]
    public void The_documented_json_keys_are_exactly_the_keys_the_daemons_write()
    {
        var documented = DocText.TableRows(Section, "| key").Select(row => row[0].Trim('`')).ToHashSet(StringComparer.Ordinal);
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var report in new[] { StatusSamples.Server(), StatusSamples.Client() })
        {
            using var json = JsonDocument.Parse(StatusReports.ToJson(report));
            written.UnionWith(Keys(json.RootElement));
        }
        Assert.Empty(written.Except(documented)); // written but not documented
        Assert.Empty(documented.Except(written)); // documented but never written
    }

    [Fact]
    public void The_documented_table_is_what_status_prints()
    {
        var example = DocText.FencedBlocks(Section).First(b => b.Text.StartsWith("interface:", StringComparison.Ordinal));
        Assert.Equal(StatusTable.Render(StatusSamples.Server()), example.Text + "\n");
    }
}

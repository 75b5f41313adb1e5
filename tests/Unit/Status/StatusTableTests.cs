using MyVpn.Cli.Status;
using MyVpn.Tests.Unit.Support;
using Xunit;

namespace MyVpn.Tests.Unit.Status;

/// <summary><c>myvpn status</c>'s human output: the daemon's lines, then an aligned row per session.</summary>
public sealed class StatusTableTests
{
    [Fact]
    public void Server_table_matches_the_golden_file()
    {
        Golden.Match("Status/server-status.txt", StatusTable.Render(StatusSamples.Server()));
    }

    [Fact]
    public void Client_table_matches_the_golden_file()
    {
        Golden.Match("Status/client-status.txt", StatusTable.Render(StatusSamples.Client()));
    }

    [Fact]
    public void Columns_are_aligned_whatever_the_lengths_of_the_names()
    {
        var lines = StatusTable.Render(StatusSamples.Server()).Split('\n');
        var header = Array.FindIndex(lines, l => l.StartsWith("NAME", StringComparison.Ordinal));
        var rows = lines.Skip(header).Take(3).ToArray();
        Assert.Equal(3, rows.Length);
        // every column starts where its header does
        foreach (var column in new[] { "ADDRESS", "ENDPOINT", "PORT", "HANDSHAKE" })
        {
            var at = rows[0].IndexOf(column, StringComparison.Ordinal);
            Assert.All(rows.Skip(1), row => Assert.NotEqual(' ', row[at]));
            Assert.All(rows.Skip(1), row => Assert.Equal(' ', row[at - 1]));
        }
    }

    [Fact]
    public void A_server_without_sessions_says_so()
    {
        var text = StatusTable.Render(StatusSamples.Server() with { Sessions = [] });
        Assert.Contains("no sessions", text);
        Assert.DoesNotContain("NAME", text);
    }

    [Fact]
    public void Only_drop_reasons_that_happened_are_shown()
    {
        var text = StatusTable.Render(StatusSamples.Server());
        Assert.Contains("drops: NoSuchClient=1, Replayed=3", text);
        Assert.Contains("drops: none", StatusTable.Render(StatusSamples.Server() with { Drops = new() { ["Replayed"] = 0 } }));
    }

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1024, "1 KiB")]
    [InlineData(10080, "9.84 KiB")]
    [InlineData(2_500_000, "2.38 MiB")]
    [InlineData(5L << 40, "5 TiB")]
    public void Bytes_are_shown_in_binary_units(long bytes, string expected) => Assert.Equal(expected, StatusTable.Bytes(bytes));

    [Theory]
    [InlineData(0, "0s ago")]
    [InlineData(59, "59s ago")]
    [InlineData(60, "1m00s ago")]
    [InlineData(3599, "59m59s ago")]
    [InlineData(3725, "1h02m ago")]
    public void Handshake_ages_are_short(long seconds, string expected) => Assert.Equal(expected, StatusTable.Age(seconds));
}

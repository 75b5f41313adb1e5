using MyVpn.Cli.Hosting;
using Xunit;

namespace MyVpn.Tests.Unit.Cli;

/// <summary>The log takes the journal's form exactly when systemd started the daemon (JOURNAL_STREAM or INVOCATION_ID set).</summary>
public sealed class LoggingTests
{
    [Theory]
    [InlineData("JOURNAL_STREAM", "8:12345", true)]
    [InlineData("INVOCATION_ID", "0f3c7a4e2b1d4c6f9a8b7c6d5e4f3a2b", true)]
    [InlineData("JOURNAL_STREAM", "", false)]
    [InlineData("NOTIFY_SOCKET", "/run/systemd/notify", false)]
    [InlineData(null, null, false)]
    public void Journal_form_only_under_systemd(string? name, string? value, bool expected)
    {
        Assert.Equal(expected, Logging.UnderSystemd(n => n == name ? value : null));
    }
}

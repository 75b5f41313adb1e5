using System.CommandLine;
using System.Reflection;
using System.Text.RegularExpressions;
using MyVpn.Tests.Unit.Docs;
using Xunit;

namespace MyVpn.Tests.Unit.Cli;

/// <summary>
/// MyVpn's version is set once, in Directory.Build.props, and the executable carries it bare: the
/// informational version <c>myvpn --version</c> prints is that number, with no "+commit" suffix, so it
/// equals the Debian package's version. (The package suite runs <c>--version</c> on the installed binary.)
/// </summary>
public sealed partial class VersionTests
{
    private static string PropsVersion()
    {
        var match = VersionElement().Match(DocText.Read("Directory.Build.props"));
        Assert.True(match.Success, "Directory.Build.props has no <Version>");
        return match.Groups[1].Value;
    }

    [Fact]
    public void The_version_is_a_plain_three_part_number()
    {
        Assert.Matches(@"^\d+\.\d+\.\d+$", PropsVersion());
    }

    [Fact]
    public void The_executable_s_informational_version_is_the_props_version_without_a_commit_suffix()
    {
        var informational = typeof(MyVpn.Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

        Assert.Equal(PropsVersion(), informational);
    }

    [Fact]
    public void The_root_command_has_a_version_option()
    {
        Assert.Single(MyVpn.Cli.CommandLine.Build().Options.OfType<VersionOption>());
    }

    [GeneratedRegex(@"<Version>([^<]+)</Version>")]
    private static partial Regex VersionElement();
}

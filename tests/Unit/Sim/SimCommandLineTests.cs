using System.CommandLine;
using Xunit;
using SimCommandLine = MyVpn.Sim.Runner.CommandLine;

namespace MyVpn.Tests.Unit.Sim;

/// <summary>The simulator's runner: every command's help names its options; usage mistakes are one line and exit status 2.</summary>
public sealed class SimCommandLineTests
{
    [Theory]
    [InlineData("demo", "--seed")]
    [InlineData("run", "--seed", "--quiet", "--trace", "--pcap", "--keylog", "--ipv6", "--no-ipv6")]
    [InlineData("sweep", "--seeds", "--jobs", "--ipv6", "--no-ipv6")]
    [InlineData("scale", "--seed", "--clients")]
    public void Help_names_every_option_and_the_exit_status(string command, params string[] options)
    {
        var (exit, output, error) = Run(command, "--help");

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.All(options, option => Assert.Contains(option, output));
        Assert.Contains("Exit status: 0", output);
    }

    [Fact]
    public void Top_level_help_lists_every_command()
    {
        var (exit, output, _) = Run("--help");

        Assert.Equal(0, exit);
        Assert.All(new[] { "demo", "run", "sweep", "scale" }, command => Assert.Contains(command, output));
    }

    [Theory]
    [InlineData("unknown command or option 'frobnicate'", "frobnicate")]
    [InlineData("unknown command or option '--bogus'", "run", "--seed", "1", "--bogus")]
    [InlineData("no command given", new string[0])]
    [InlineData("'--seed' is required", "run")]
    [InlineData("'x'", "run", "--seed", "x")]
    [InlineData("--seeds '9-3' is not a range like 1-500", "sweep", "--seeds", "9-3")]
    [InlineData("--jobs 0 is not a number from 1 to 256", "sweep", "--seeds", "1-2", "--jobs", "0")]
    [InlineData("--ipv6 and --no-ipv6 contradict each other", "run", "--seed", "1", "--ipv6", "--no-ipv6")]
    [InlineData("--ipv6 and --no-ipv6 contradict each other", "sweep", "--seeds", "1-2", "--no-ipv6", "--ipv6")]
    [InlineData("--clients 0 is not a number from 1 to 60000", "scale", "--clients", "0")]
    public void A_usage_mistake_is_one_line_naming_it_and_exit_status_2(string expected, params string[] args)
    {
        var (exit, output, error) = Run(args);

        Assert.Equal(SimCommandLine.UsageError, exit);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("myvpn-sim: ", line);
        Assert.Contains(expected, line);
        Assert.Contains("--help", line);
    }

    [Fact]
    public void A_seed_range_parses_both_ends_and_a_single_seed_is_a_range_of_one()
    {
        var root = SimCommandLine.Build();
        var sweep = root.Subcommands.Single(c => c.Name == "sweep");
        var seeds = (Option<(ulong First, ulong Last)>)sweep.Options.Single(o => o.Name == "--seeds");

        Assert.Equal((5UL, 9UL), root.Parse(["sweep", "--seeds", "5-9"]).GetValue(seeds));
        Assert.Equal((7UL, 7UL), root.Parse(["sweep", "--seeds", "7"]).GetValue(seeds));
    }

    [Fact]
    public void Demo_runs_and_passes()
    {
        var (exit, output, error) = Run("demo", "--seed", "2");

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains("pc1 connected", output);
        Assert.Contains("invariants: ok", output);
    }

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = SimCommandLine.Run(args, new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}

using System.CommandLine;
using System.CommandLine.Parsing;

namespace MyVpn.Sim.Runner;

/// <summary>
/// The simulator's command line (System.CommandLine, like the daemon's): demo, run, sweep and scale,
/// each with <c>--help</c>. A usage mistake is one line on standard error and exit status 2.
/// </summary>
internal static class CommandLine
{
    /// <summary>Exit status of a usage mistake (an unknown command or option, a missing or bad value).</summary>
    public const int UsageError = 2;

    public static RootCommand Build()
    {
        var root = new RootCommand("""
            MyVpn's deterministic simulator: the real engines on an in-memory network with virtual time.
            Every random choice comes from the seed, so a seed replays a run exactly.
            Exit status: 0 the run passed; 1 it failed (an invariant broke, a client never recovered);
            2 a usage mistake.
            """);
        root.Subcommands.Add(DemoCommand.Build());
        root.Subcommands.Add(RunCommand.Build());
        root.Subcommands.Add(SweepCommand.Build());
        root.Subcommands.Add(ScaleCommand.Build());
        return root;
    }

    /// <summary>Parses and runs; a parse error is printed as one line (the first error) and returns <see cref="UsageError"/>.</summary>
    public static int Run(string[] args, InvocationConfiguration? invocation = null)
    {
        invocation ??= new InvocationConfiguration();
        var result = Build().Parse(args);
        if (result.Errors.Count > 0)
        {
            var command = result.CommandResult.Command;
            var help = command is RootCommand ? "myvpn-sim --help" : $"myvpn-sim {command.Name} --help";
            // An unknown word explains the rest (a command not given because it was misspelt): name it first.
            var message = result.UnmatchedTokens.Count > 0 ? $"unknown command or option '{result.UnmatchedTokens[0]}'"
                : command is RootCommand ? "no command given: demo, run, sweep or scale"
                : result.Errors[0].Message.TrimEnd('.');
            invocation.Error.WriteLine($"myvpn-sim: {message} (see {help})");
            return UsageError;
        }
        return result.Invoke(invocation);
    }

    /// <summary><c>--seed N</c>: the run's seed.</summary>
    public static Option<ulong> SeedOption(ulong? fallback = null)
    {
        var option = new Option<ulong>("--seed") { Description = "The seed every random choice of the run comes from", HelpName = "N" };
        if (fallback is { } value)
            option.DefaultValueFactory = _ => value;
        else
            option.Required = true;
        return option;
    }

    /// <summary>
    /// <c>--ipv6</c> and <c>--no-ipv6</c>: override the family the seed picks (<see cref="Scenarios.ChaosScenario.Ipv6For"/>);
    /// add both to <paramref name="command"/>, which refuses the two together.
    /// </summary>
    public static (Option<bool> On, Option<bool> Off) Ipv6Options(Command command, string runs)
    {
        var on = new Option<bool>("--ipv6") { Description = $"IPv6 inside the tunnel too in {runs}, whatever the seed picks (seeds that are 2 or 3 mod 4 have it)" };
        var off = new Option<bool>("--no-ipv6") { Description = $"IPv4 only in {runs}, whatever the seed picks" };
        command.Options.Add(on);
        command.Options.Add(off);
        command.Validators.Add(result =>
        {
            if (result.GetValue(on) && result.GetValue(off))
                result.AddError("--ipv6 and --no-ipv6 contradict each other: give one or neither");
        });
        return (on, off);
    }

    /// <summary>The family chosen by <see cref="Ipv6Options"/>: true, false, or null (the seed's own).</summary>
    public static bool? Ipv6Choice(ParseResult result, (Option<bool> On, Option<bool> Off) options) =>
        result.GetValue(options.On) ? true : result.GetValue(options.Off) ? false : null;

    /// <summary>An integer option limited to <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static Option<int> IntOption(string name, string description, int fallback, int min, int max)
    {
        var option = new Option<int>(name) { Description = description, HelpName = "N", DefaultValueFactory = _ => fallback };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value < min || value > max)
                result.AddError($"{name} {value} is not a number from {min} to {max}");
        });
        return option;
    }

    /// <summary>A seed range <c>A-B</c> (inclusive) or a single seed <c>N</c>.</summary>
    public static (ulong First, ulong Last) ParseSeedRange(ArgumentResult result, string name)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        var dash = text.IndexOf('-');
        var firstText = dash < 0 ? text : text[..dash];
        var lastText = dash < 0 ? text : text[(dash + 1)..];
        if (!ulong.TryParse(firstText, out var first) || !ulong.TryParse(lastText, out var last) || last < first)
        {
            result.AddError($"{name} '{text}' is not a range like 1-500");
            return default;
        }
        return (first, last);
    }
}

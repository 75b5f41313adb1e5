namespace MyVpn.Sim.Runner;

/// <summary>The runner's arguments: a command and <c>--name value</c> options.</summary>
internal sealed class CommandLine
{
    public const string Usage = "usage: myvpn-sim demo [--seed N] | run --seed N [--quiet] | sweep --seeds A-B [--jobs J] | scale [--clients N]";

    private readonly Dictionary<string, string?> _options;

    private CommandLine(string command, Dictionary<string, string?> options)
    {
        Command = command;
        _options = options;
    }

    public string Command { get; }

    public static CommandLine Parse(IReadOnlyList<string> args, IReadOnlySet<string> flags)
    {
        if (args.Count == 0)
            throw new UsageException($"no command given; {Usage}");
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 1; i < args.Count; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || name.Length == 2)
                throw new UsageException($"unexpected argument '{name}'; {Usage}");
            if (flags.Contains(name))
            {
                options[name] = null;
                continue;
            }
            if (i + 1 >= args.Count)
                throw new UsageException($"option {name} needs a value");
            options[name] = args[++i];
        }
        return new CommandLine(args[0], options);
    }

    /// <summary>Fails on any option outside <paramref name="allowed"/>.</summary>
    public void Allow(params string[] allowed)
    {
        foreach (var name in _options.Keys.Order(StringComparer.Ordinal))
        {
            if (!allowed.Contains(name))
                throw new UsageException($"'{Command}' does not take {name}; {Usage}");
        }
    }

    public bool Has(string name) => _options.ContainsKey(name);

    public ulong Seed(string name, ulong? fallback = null)
    {
        if (!_options.TryGetValue(name, out var text) || text is null)
            return fallback ?? throw new UsageException($"'{Command}' needs {name} N");
        if (!ulong.TryParse(text, out var seed))
            throw new UsageException($"{name} '{text}' is not a number");
        return seed;
    }

    public int Int(string name, int fallback, int min, int max)
    {
        if (!_options.TryGetValue(name, out var text) || text is null)
            return fallback;
        if (!int.TryParse(text, out var value) || value < min || value > max)
            throw new UsageException($"{name} '{text}' is not a number from {min} to {max}");
        return value;
    }

    /// <summary>A seed range <c>A-B</c> (inclusive) or a single seed.</summary>
    public (ulong First, ulong Last) SeedRange(string name)
    {
        if (!_options.TryGetValue(name, out var text) || text is null)
            throw new UsageException($"'{Command}' needs {name} A-B");
        var dash = text.IndexOf('-');
        var firstText = dash < 0 ? text : text[..dash];
        var lastText = dash < 0 ? text : text[(dash + 1)..];
        if (!ulong.TryParse(firstText, out var first) || !ulong.TryParse(lastText, out var last) || last < first)
            throw new UsageException($"{name} '{text}' is not a range like 1-500");
        return (first, last);
    }
}

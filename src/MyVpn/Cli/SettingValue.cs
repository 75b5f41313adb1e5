namespace MyVpn.Cli;

/// <summary>
/// One setting as given: its text and where it came from ("--subnet", or "server.toml: subnet"), so a
/// bad value is reported where the user can find it. A flag wins over the config file.
/// </summary>
internal readonly record struct SettingValue(string? Text, string Where)
{
    public bool IsSet => Text is not null;

    public static SettingValue Pick(string? flag, string flagName, string? fromFile, string? configPath, string key) =>
        flag is not null ? new(flag, flagName)
        : fromFile is not null ? new(fromFile, $"{configPath}: {key}")
        : new(null, flagName);

    /// <summary>Parses the text, or returns <paramref name="fallback"/> when unset; a parse failure names the source.</summary>
    public T Parse<T>(Func<string, T> parse, T fallback)
    {
        if (Text is null)
            return fallback;
        try
        {
            return parse(Text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            throw new ConfigException($"{Where} '{Text}': {e.Message}", e);
        }
    }
}

using System.Text.Json;
using MyVpn.Linux;
using Tomlyn;

namespace MyVpn.Cli.Config;

/// <summary>Reads a TOML config file into a model whose properties are the snake_case keys; unknown keys are errors.</summary>
internal static partial class TomlConfig
{
    public static T Load<T>(string path) where T : class, IHasUnknownKeys => Load<T>(path, out _, out _);

    /// <inheritdoc cref="Load{T}(string, out FileFacts, out ConfigLines)"/>
    public static T Load<T>(string path, out FileFacts facts) where T : class, IHasUnknownKeys => Load<T>(path, out facts, out _);

    /// <summary>
    /// Reads a config file and reports the type, mode and owner of the very file it read (from the open
    /// descriptor), so a check that the file is private, made when it turns out to hold keys, is of the
    /// file whose keys are used.
    /// </summary>
    /// <param name="lines">Where each key is in the file, for errors found after parsing.</param>
    public static T Load<T>(string path, out FileFacts facts, out ConfigLines lines) where T : class, IHasUnknownKeys
    {
        string text;
        try
        {
            using var handle = File.OpenHandle(path);
            facts = PrivateFile.Stat(handle);
            using var stream = new FileStream(handle, FileAccess.Read);
            using var reader = new StreamReader(stream);
            text = reader.ReadToEnd();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ConfigException($"config file {path} does not exist: give the path of an existing TOML file with -c (examples/ has commented ones)", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"config file {path}: {e.Message}", e);
        }
        lines = ConfigLines.Read(text);
        return Parse<T>(text, path);
    }

    /// <summary>
    /// A config file that holds keys inline is a secret too: it must be private as a key file is
    /// (owner root or the caller, no access for group or others). Checked on the facts of the file read.
    /// </summary>
    public static void RequirePrivateForInlineKeys(string path, FileFacts facts)
    {
        if (PrivateFile.Refusal(facts, path, PrivateFile.Caller) is { } refusal)
            throw new ConfigException($"{path} holds keys but {refusal[(path.Length + 1)..]}");
    }

    public static T Parse<T>(string text, string sourceName) where T : class, IHasUnknownKeys
    {
        var options = new TomlSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            SourceName = sourceName,
            TypeInfoResolver = ConfigTomlContext.Default,
        };
        var typeInfo = (TomlTypeInfo<T>?)ConfigTomlContext.Default.GetTypeInfo(typeof(T), options)
            ?? throw new InvalidOperationException($"{typeof(T).Name} is not in {nameof(ConfigTomlContext)}");
        T? model;
        try
        {
            model = TomlSerializer.Deserialize(text, typeInfo);
        }
        catch (TomlException e)
        {
            throw new ConfigException(SyntaxError(sourceName, text, FirstLine(e.Message)), e);
        }
        catch (ArgumentOutOfRangeException e)
        {
            // Tomlyn fails this way while it words its error for a backslash at the very end of the file
            throw new ConfigException($"{sourceName}: the file ends inside a string (after a backslash)", e);
        }
        if (model is null)
            throw new ConfigException($"{sourceName}: empty configuration");
        var lines = ConfigLines.Read(text);
        foreach (var (where, key, table) in model.UnknownKeys())
            throw new ConfigException($"{lines.At(sourceName, key, table)}: unknown key '{key}'{where}");
        return model;
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    /// <summary>
    /// Tomlyn's message as "FILE:LINE: KEY: what is wrong". Tomlyn writes "FILE(LINE,COLUMN) : error : …",
    /// and a value it cannot convert wraps the innermost such report in another: the last one says where
    /// and what.
    /// </summary>
    internal static string SyntaxError(string sourceName, string text, string message)
    {
        var reports = TomlynReport().Matches(message);
        if (reports.Count == 0)
            return $"{sourceName}: {message}";
        var last = reports[^1];
        var line = int.Parse(last.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var what = message[(last.Index + last.Length)..].Trim();
        return ConfigLines.Read(text).KeyOn(line) is { } key
            ? $"{sourceName}:{line}: {key}: {what}"
            : $"{sourceName}:{line}: {what}";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\((?<line>\d+),(?<column>\d+)\) : error : ")]
    private static partial System.Text.RegularExpressions.Regex TomlynReport();
}

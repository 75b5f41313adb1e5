using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using MyVpn.Cli;
using MyVpn.Cli.Config;
using Xunit;

namespace MyVpn.Tests.Unit.Docs;

/// <summary>
/// The TOML the docs show is TOML the daemon reads: every ```toml block parses with the real config
/// loader as a server or a client file, and every `key = value` span and commented-out setting in
/// examples/*.toml names a key that exists.
/// </summary>
public sealed partial class TomlDocTests
{
    public static TheoryData<string> Files => [.. DocText.MarkdownFiles];

    /// <summary>Null if <paramref name="toml"/> loads as a server.toml or a client.toml; else both loaders' errors.</summary>
    private static string? LoadError(string toml, string where)
    {
        var errors = new List<string>();
        try
        {
            TomlConfig.Parse<ServerConfigFile>(toml, where);
            return null;
        }
        catch (ConfigException e)
        {
            errors.Add("as server.toml: " + e.Message);
        }
        try
        {
            TomlConfig.Parse<ClientConfigFile>(toml, where);
            return null;
        }
        catch (ConfigException e)
        {
            errors.Add("as client.toml: " + e.Message);
        }
        return string.Join("; ", errors);
    }

    /// <summary>Every key a config file may hold: server.toml's, client.toml's and a [[clients]] entry's.</summary>
    private static readonly HashSet<string> Keys =
    [
        .. new[] { typeof(ServerConfigFile), typeof(ClientConfigFile), typeof(ClientConfigEntry) }
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            .Where(p => p.Name != nameof(ServerConfigFile.Unknown))
            .Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)),
    ];

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_toml_block_in_a_doc_loads_with_the_config_loader(string file)
    {
        var problems = DocText.FencedBlocks(DocText.Read(file))
            .Where(b => b.Language == "toml")
            .Select(b => (b.Line, Error: LoadError(b.Text, $"{file}:{b.Line}")))
            .Where(b => b.Error is not null)
            .Select(b => $"{file}:{b.Line}: {b.Error}")
            .ToList();
        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_setting_a_doc_shows_in_a_code_span_is_a_config_key(string file)
    {
        if (file == "docs/protocol.md")
            return; // its `name = …` spans are formulas of the key schedule, not settings
        var problems = DocText.InlineSpans(DocText.Read(file))
            .Select(span => (Match: Setting().Match(span.Code), span.Line))
            .Where(s => s.Match.Success && !Keys.Contains(s.Match.Groups[1].Value))
            .Select(s => $"{file}:{s.Line}: no config file has a key '{s.Match.Groups[1].Value}'")
            .ToList();
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("server.toml")]
    [InlineData("client.toml")]
    public void Every_commented_out_setting_in_an_example_config_loads_when_uncommented(string example)
    {
        var lines = File.ReadAllLines(Path.Combine(DocText.Root, "examples", example));
        var settings = lines.Select((text, i) => (Match: CommentedSetting().Match(text), Line: i + 1)).Where(s => s.Match.Success).ToList();
        var problems = settings
            .Select(s => (s.Line, Error: example == "server.toml"
                ? Try(() => TomlConfig.Parse<ServerConfigFile>(s.Match.Groups[1].Value, example))
                : Try(() => TomlConfig.Parse<ClientConfigFile>(s.Match.Groups[1].Value, example))))
            .Where(s => s.Error is not null)
            .Select(s => $"examples/{example}:{s.Line}: {s.Error}")
            .ToList();
        Assert.Empty(problems);
    }

    private static string? Try(Action load)
    {
        try
        {
            load();
            return null;
        }
        catch (ConfigException e)
        {
            return e.Message;
        }
    }

    [Fact]
    public void The_checks_refuse_an_unknown_key_and_know_every_documented_one()
    {
        Assert.Null(LoadError("listen = \"0.0.0.0:9525\"\n[[clients]]\nname = \"pc1\"\nkey_file = \"pc1.key\"", "t"));
        Assert.Null(LoadError("server = \"vpn.example.org\"\ndefault_route = true", "t"));
        Assert.NotNull(LoadError("keylog = \"/root/keys.log\"", "t"));
        Assert.Contains("unknown key 'listn'", LoadError("listn = \"0.0.0.0:9525\"", "t"));
        Assert.Contains("client_to_client", Keys);
        Assert.Contains("key", Keys);
        Assert.DoesNotContain("keylog", Keys);
        Assert.DoesNotContain("unknown", Keys);
    }

    /// <summary>A span that sets a key: `offload = false`, `threads = N`, `allow = ["169.254.169.254"]`.</summary>
    [GeneratedRegex(@"^([a-z][a-z0-9_]*) = \S")]
    private static partial Regex Setting();

    /// <summary>A commented-out setting in an example: "# threads = 2".</summary>
    [GeneratedRegex(@"^#\s*([a-z][a-z0-9_]* = .+)$")]
    private static partial Regex CommentedSetting();
}

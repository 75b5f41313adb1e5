using System.Text.RegularExpressions;
using MyVpn.Cli.Config;
using Xunit;

namespace MyVpn.Tests.Unit.Cli;

/// <summary>
/// The commented configs in examples/ stay valid: every key in them is one the daemon knows, and so is
/// every setting they show commented out.
/// </summary>
public sealed partial class ExampleConfigTests
{
    private static string Example(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MyVpn.sln")))
                return Path.Combine(dir.FullName, "examples", name);
        throw new InvalidOperationException("MyVpn.sln not found");
    }

    /// <summary>A commented-out setting: <c># key = value</c>, nothing but the setting after the hash.</summary>
    [GeneratedRegex(@"^#\s*([a-z_]+\s*=\s*\S.*)$", RegexOptions.Multiline)]
    private static partial Regex CommentedSetting();

    private static string Uncommented(string text) => CommentedSetting().Replace(text, "$1");

    [Fact]
    public void Example_server_config_parses_as_a_default_a_user_can_copy()
    {
        var config = TomlConfig.Load<ServerConfigFile>(Example("server.toml"));

        Assert.Equal(["pc1", "pc2", "laptop"], config.Clients!.Select(c => c.Name));
        Assert.Equal([1220, null, null], config.Clients!.Select(c => c.Mtu));
        Assert.Equal("eth0", config.Masquerade);
        Assert.True(config.Offload);
        Assert.True(config.ClientToClient);
        // The reach policy's extra ranges are shown, not set: copied as is, the built-in blocks apply.
        Assert.Null(config.Block);
        Assert.Null(config.Allow);
        Assert.Null(config.KeyFile);
    }

    [Fact]
    public void Example_server_config_settings_shown_commented_out_parse_when_uncommented()
    {
        var text = Uncommented(File.ReadAllText(Example("server.toml")));

        var config = TomlConfig.Parse<ServerConfigFile>(text, "server.toml, uncommented");

        Assert.Equal(["192.168.0.0/16"], config.Block);
        Assert.Equal(["192.168.1.10"], config.Allow);
        Assert.Equal("psk.key", config.KeyFile);
        Assert.Equal(256, config.MaxSessions);
        Assert.Equal(2, config.Threads);
        Assert.Equal("10.0.0.1", config.Address);
        Assert.Equal("127.0.0.1:9586", config.MetricsListen);
    }

    [Fact]
    public void Example_client_config_parses()
    {
        var config = TomlConfig.Load<ClientConfigFile>(Example("client.toml"));

        Assert.Equal(("pc1", "pc1.key", false, true), (config.Name, config.KeyFile, config.DefaultRoute, config.Offload));
    }

    [Fact]
    public void Example_client_config_settings_shown_commented_out_parse_when_uncommented()
    {
        var text = Uncommented(File.ReadAllText(Example("client.toml")));

        var config = TomlConfig.Parse<ClientConfigFile>(text, "client.toml, uncommented");

        Assert.Equal(2, config.Threads);
        Assert.Equal("127.0.0.1:9586", config.MetricsListen);
        Assert.Equal(1380, config.Mtu);
    }

    [Fact]
    public void Uncommenting_touches_only_settings_not_prose()
    {
        const string text = "# The tun device to create.\n# threads = 2\n#   block = [\"10.1.0.0/16\"]    # a note\n# e.g. key = value is prose\n";

        Assert.Equal("# The tun device to create.\nthreads = 2\nblock = [\"10.1.0.0/16\"]    # a note\n# e.g. key = value is prose\n",
            Uncommented(text));
    }
}

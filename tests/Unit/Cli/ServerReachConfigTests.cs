using MyVpn.Cli;
using MyVpn.Net;
using Xunit;

namespace MyVpn.Tests.Unit.Cli;

/// <summary>block, allow and client_to_client: in server.toml and as --block, --allow, --no-client-to-client.</summary>
public sealed class ServerReachConfigTests
{
    [Fact]
    public void By_default_nothing_is_blocked_beyond_the_built_in_ranges_and_clients_reach_each_other()
    {
        using var dir = new TempDirectory();

        var settings = ServerConfig.Resolve(new ServerFlags(KeyFile: dir.KeyFile("psk.key")));
        var options = settings.ToOptions(null);

        Assert.Empty(settings.Block);
        Assert.Empty(settings.Allow);
        Assert.True(settings.ClientToClient);
        Assert.True(options.ClientToClient);
    }

    [Fact]
    public void Config_file_lists_ranges_and_turns_client_to_client_off_and_the_options_carry_them()
    {
        using var dir = new TempDirectory();
        dir.KeyFile("psk.key");
        var config = dir.File("server.toml", """
            key_file = "psk.key"
            block = ["192.168.0.0/16", "172.16.0.0/12", "198.51.100.7"]
            allow = ["192.168.1.10/32"]
            client_to_client = false
            """);

        var settings = ServerConfig.Resolve(new ServerFlags(Config: config));
        var options = settings.ToOptions(null, hostAddresses: [IPv4Address.Parse("192.0.2.1")]);

        Assert.Equal(["192.168.0.0/16", "172.16.0.0/12", "198.51.100.7/32"], settings.Block.Select(r => r.ToString()));
        Assert.Equal(["192.168.1.10/32"], settings.Allow.Select(r => r.ToString()));
        Assert.False(settings.ClientToClient);
        Assert.Equal(settings.Block, options.Block);
        Assert.Equal(settings.Allow, options.Allow);
        Assert.False(options.ClientToClient);
        Assert.Equal([IPv4Address.Parse("192.0.2.1")], options.HostAddresses);
    }

    [Fact]
    public void Flags_add_ranges_to_the_config_files_and_no_client_to_client_wins()
    {
        using var dir = new TempDirectory();
        dir.KeyFile("psk.key");
        var config = dir.File("server.toml", """
            key_file = "psk.key"
            block = ["192.168.0.0/16"]
            allow = ["192.168.1.10"]
            client_to_client = true
            """);

        var settings = ServerConfig.Resolve(new ServerFlags(Config: config,
            Block: ["10.20.0.0/16", "10.30.0.0/16"], Allow: ["10.20.1.0/24"], NoClientToClient: true));

        Assert.Equal(["192.168.0.0/16", "10.20.0.0/16", "10.30.0.0/16"], settings.Block.Select(r => r.ToString()));
        Assert.Equal(["192.168.1.10/32", "10.20.1.0/24"], settings.Allow.Select(r => r.ToString()));
        Assert.False(settings.ClientToClient);
    }

    [Theory]
    [InlineData("block = [\"10.0.0.0/33\"]", "server.toml:2: block '10.0.0.0/33': ")]
    [InlineData("block = [\"192.168.0.0/16\", \"banana\"]", "server.toml:2: block 'banana': 'banana' is not a CIDR range like 169.254.0.0/16")]
    [InlineData("allow = [\"10.1.2.3/16\"]", "server.toml:2: allow '10.1.2.3/16': '10.1.2.3/16' has host bits set; the range is 10.1.0.0/16")]
    [InlineData("block = \"10.0.0.0/8\"", "server.toml")]
    [InlineData("client_to_client = \"no\"", "server.toml")]
    public void Bad_ranges_in_the_config_file_are_one_line_errors_naming_the_key(string toml, string expected)
    {
        using var dir = new TempDirectory();
        dir.KeyFile("psk.key");
        var config = dir.File("server.toml", "key_file = \"psk.key\"\n" + toml);

        var error = Assert.Throws<ConfigException>(() => ServerConfig.Resolve(new ServerFlags(Config: config)));

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("--block", "169.254.0.0/99")]
    [InlineData("--allow", "not-an-address")]
    public void Bad_ranges_in_flags_name_the_flag(string flag, string value)
    {
        using var dir = new TempDirectory();
        var key = dir.KeyFile("psk.key");
        var flags = flag == "--block" ? new ServerFlags(KeyFile: key, Block: [value]) : new ServerFlags(KeyFile: key, Allow: [value]);

        var error = Assert.Throws<ConfigException>(() => ServerConfig.Resolve(flags));

        Assert.StartsWith($"{flag} '{value}': ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Command_line_takes_repeated_block_and_allow_and_lists_them_in_help()
    {
        var parsed = MyVpn.Cli.CommandLine.Build().Parse(
            ["server", "--key-file", "k", "--block", "10.1.0.0/16", "--block", "10.2.0.0/16", "--allow", "10.1.1.1", "--no-client-to-client"]);
        Assert.Empty(parsed.Errors);

        var output = new StringWriter();
        MyVpn.Cli.CommandLine.Build().Parse(["server", "--help"]).Invoke(new System.CommandLine.InvocationConfiguration { Output = output });
        Assert.All((string[])["--block", "--allow", "--no-client-to-client"], option => Assert.Contains(option, output.ToString()));
    }
}

using MyVpn.Cli;
using Xunit;

namespace MyVpn.Tests.Unit.Cli;

/// <summary>
/// A config error is one line whatever the file holds: line breaks and other control characters in a
/// value, a key or a name are shown escaped (found by ConfigFuzzTests).
/// </summary>
public sealed class ConfigErrorLineTests
{
    [Theory]
    [InlineData("tun = \"a\\nb\"", @"'a\nb'")]
    [InlineData("ports = \"1-\\r\\nx\"", @"'1-\r\nx'")]
    [InlineData("log_level = \"\\u001b[31mred\"", @"'\u001b[31mred'")]
    [InlineData("\"bad\\nkey\" = 1", @"'bad\nkey'")]
    public void Server_config_error_with_a_control_character_is_one_line_showing_it_escaped(string line, string shown)
    {
        using var dir = new TempDirectory();
        dir.KeyFile("psk.key");
        var config = dir.File("server.toml", "key_file = \"psk.key\"\n" + line + "\n");

        var error = Assert.Throws<ConfigException>(() => ServerConfig.Resolve(new ServerFlags(Config: config)));

        Assert.DoesNotContain(error.Message, char.IsControl);
        Assert.Contains(shown, error.Message);
    }

    [Fact]
    public void Client_name_with_a_line_break_in_a_duplicate_is_reported_on_one_line()
    {
        using var dir = new TempDirectory();
        dir.KeyFile("a.key");
        var config = dir.File("server.toml", """
            [[clients]]
            name = "pc\n1"
            key_file = "a.key"

            [[clients]]
            name = "pc\n1"
            key_file = "a.key"
            """);

        var error = Assert.Throws<ConfigException>(() => ServerConfig.Resolve(new ServerFlags(Config: config)));

        Assert.DoesNotContain(error.Message, char.IsControl);
        Assert.Contains(@"'pc\n1' is used twice", error.Message);
    }

    [Fact]
    public void Client_config_key_file_with_a_line_break_is_reported_on_one_line()
    {
        using var dir = new TempDirectory();
        var config = dir.File("client.toml", "server = \"192.0.2.1\"\nkey_file = \"no\\nsuch.key\"\n");

        var error = Assert.Throws<ConfigException>(() => ClientConfig.Resolve(new ClientFlags(Config: config)));

        Assert.DoesNotContain(error.Message, char.IsControl);
        Assert.Contains(@"no\nsuch.key", error.Message);
    }
}

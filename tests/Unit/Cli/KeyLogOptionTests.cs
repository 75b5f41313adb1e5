using MyVpn.Cli;
using MyVpn.Cli.Config;
using Xunit;

namespace MyVpn.Tests.Unit.Cli;

/// <summary>As docs/keylog.md says: the key log is turned on with the --keylog flag of either daemon, and no config file has a key for it.</summary>
public sealed class KeyLogOptionTests
{
    [Theory]
    [InlineData("server")]
    [InlineData("client")]
    public void Keylog_is_a_flag_of_both_daemons(string command)
    {
        var result = MyVpn.Cli.CommandLine.Build().Parse([command, "--keylog", "/tmp/keys.log"]);

        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Keylog_in_server_toml_is_an_unknown_key()
    {
        var error = Assert.Throws<ConfigException>(() => TomlConfig.Parse<ServerConfigFile>("keylog = \"keys.log\"\n", "server.toml"));

        Assert.Contains("unknown key 'keylog'", error.Message);
    }

    [Fact]
    public void Keylog_in_client_toml_is_an_unknown_key()
    {
        var error = Assert.Throws<ConfigException>(() => TomlConfig.Parse<ClientConfigFile>("keylog = \"keys.log\"\n", "client.toml"));

        Assert.Contains("unknown key 'keylog'", error.Message);
    }
}

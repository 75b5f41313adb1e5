using MyVpn.Cli;
using MyVpn.Cli.Hosting;
using Xunit;

namespace MyVpn.Tests.Unit.Cli;

/// <summary>One-port mode's switch: <c>single_port</c> in server.toml and <c>--single-port</c>, carried to the engine as the handshake port's number.</summary>
public sealed class SinglePortConfigTests
{
    [Fact]
    public void Off_by_default_each_session_gets_a_port_of_the_range()
    {
        using var dir = new TempDirectory();

        var settings = ServerConfig.Resolve(new ServerFlags(KeyFile: dir.KeyFile("psk.key")));

        Assert.False(settings.SinglePort);
        Assert.Equal(0, settings.ToOptions(null).SinglePort);
        Assert.Equal("40000-40999", settings.SessionPorts);
        Assert.Equal(((ushort)40000, (ushort)40999), settings.SessionPortRange);
    }

    [Fact]
    public void Config_file_turns_it_on_and_the_engine_gets_the_handshake_ports_number()
    {
        using var dir = new TempDirectory();
        dir.KeyFile("psk.key");
        var config = dir.File("server.toml", """
            key_file = "psk.key"
            listen = "0.0.0.0:4443"
            single_port = true
            """);

        var settings = ServerConfig.Resolve(new ServerFlags(Config: config));

        Assert.True(settings.SinglePort);
        Assert.Equal(4443, settings.ToOptions(null).SinglePort);
        Assert.Equal("4443 (single port)", settings.SessionPorts);
        Assert.Equal(((ushort)4443, (ushort)4443), settings.SessionPortRange); // what the doctor checks the firewall for
    }

    [Fact]
    public void Flag_turns_it_on_over_a_file_that_leaves_it_off()
    {
        using var dir = new TempDirectory();
        dir.KeyFile("psk.key");
        var config = dir.File("server.toml", "key_file = \"psk.key\"\nsingle_port = false\n");

        var parsed = MyVpn.Cli.CommandLine.Build().Parse(["server", "--config", config, "--single-port"]);
        Assert.Empty(parsed.Errors);
        var settings = ServerConfig.Resolve(new ServerFlags(Config: config) { SinglePort = true });

        Assert.Equal(9525, settings.ToOptions(null).SinglePort);
    }

    [Fact]
    public void A_value_that_is_not_a_boolean_is_a_one_line_error_naming_the_file()
    {
        using var dir = new TempDirectory();
        dir.KeyFile("psk.key");
        var config = dir.File("server.toml", "key_file = \"psk.key\"\nsingle_port = \"yes\"\n");

        var error = Assert.Throws<ConfigException>(() => ServerConfig.Resolve(new ServerFlags(Config: config)));

        Assert.Contains("server.toml:2: single_port", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Switching_it_needs_a_restart()
    {
        using var dir = new TempDirectory();
        var running = ServerConfig.Resolve(new ServerFlags(KeyFile: dir.KeyFile("psk.key")));

        Assert.Equal(["single_port"], ServerReloader.NeedsRestart(running, running with { SinglePort = true }));
    }
}

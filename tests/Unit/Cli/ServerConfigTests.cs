using MyVpn.Cli;
using MyVpn.Net;
using Xunit;

namespace MyVpn.Tests.Unit.Cli;

public sealed class ServerConfigTests
{
    [Fact]
    public void Single_key_form_is_a_shared_key_with_the_documented_defaults()
    {
        using var dir = new TempDirectory();
        var key = dir.KeyFile("psk.key");

        var settings = ServerConfig.Resolve(new ServerFlags(KeyFile: key));

        Assert.Empty(settings.Clients);
        Assert.Equal(KeyFile.Read(key), settings.SharedKey);
        Assert.Equal(NetEndpoint.Parse("0.0.0.0:9525"), settings.Listen);
        Assert.Equal(IPv4Subnet.Parse("10.0.0.0/24"), settings.Subnet);
        Assert.Equal(IPv4Address.Parse("10.0.0.1"), settings.ServerAddress);
        Assert.Equal((40000, 40999), ((int)settings.FirstPort, (int)settings.LastPort));
        Assert.Equal(("tun0", 1420, TimeSpan.FromSeconds(10)), (settings.Tun, settings.Mtu, settings.Keepalive));
        Assert.Null(settings.Masquerade);
        Assert.True(settings.Offload);
        Assert.Equal(TimeSpan.FromSeconds(120), settings.ToOptions(null).RekeyInterval);
    }

    [Fact]
    public void Rekey_interval_comes_from_the_flag_over_the_config_file_and_reaches_the_engine()
    {
        using var dir = new TempDirectory();
        var key = dir.KeyFile("psk.key");
        var config = dir.File("server.toml", """
            key_file = "psk.key"
            rekey_interval = 30
            """);

        Assert.Equal(TimeSpan.FromSeconds(30), ServerConfig.Resolve(new ServerFlags(Config: config)).ToOptions(null).RekeyInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), ServerConfig.Resolve(new ServerFlags(Config: config, RekeyInterval: "5")).ToOptions(null).RekeyInterval);
        var error = Assert.Throws<ConfigException>(() => ServerConfig.Resolve(new ServerFlags(KeyFile: key, RekeyInterval: "0")));
        Assert.Contains("--rekey-interval", error.Message);
        var bad = dir.File("bad.toml", """
            key_file = "psk.key"
            rekey_interval = 0
            """);
        Assert.Contains("rekey_interval", Assert.Throws<ConfigException>(() => ServerConfig.Resolve(new ServerFlags(Config: bad))).Message);
    }

    [Fact]
    public void Max_sessions_come_from_the_flag_over_the_config_file_and_default_to_256()
    {
        using var dir = new TempDirectory();
        var key = dir.KeyFile("psk.key");
        var config = dir.File("server.toml", """
            key_file = "psk.key"
            max_sessions = 12
            """);

        Assert.Equal(256, ServerConfig.Resolve(new ServerFlags(KeyFile: key)).MaxSessions);
        Assert.Equal(12, ServerConfig.Resolve(new ServerFlags(Config: config)).MaxSessions);
        var fromFlag = ServerConfig.Resolve(new ServerFlags(Config: config, MaxSessions: "3"));
        Assert.Equal(3, fromFlag.MaxSessions);
        Assert.Equal(3, fromFlag.ToOptions(null).MaxSharedKeySessions);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("many")]
    [InlineData("65536")]
    public void Bad_max_sessions_is_refused_naming_the_flag(string value)
    {
        using var dir = new TempDirectory();

        var error = Assert.Throws<ConfigException>(() =>
            ServerConfig.Resolve(new ServerFlags(KeyFile: dir.KeyFile("psk.key"), MaxSessions: value)));

        Assert.Contains($"--max-sessions '{value}'", error.Message);
        Assert.Contains("from 1 to 65535", error.Message);
    }

    [Fact]
    public void Threads_come_from_the_flag_over_the_config_file_and_default_to_auto()
    {
        using var dir = new TempDirectory();
        var key = dir.KeyFile("psk.key");
        var config = dir.File("server.toml", """
            key_file = "psk.key"
            threads = 3
            """);

        Assert.Null(ServerConfig.Resolve(new ServerFlags(KeyFile: key)).Threads);
        Assert.Equal(3, ServerConfig.Resolve(new ServerFlags(Config: config)).Threads);
        Assert.Equal(1, ServerConfig.Resolve(new ServerFlags(Config: config, Threads: "1")).Threads);
        Assert.Null(ServerConfig.Resolve(new ServerFlags(Config: config, Threads: "auto")).Threads);
        var error = Assert.Throws<ConfigException>(() => ServerConfig.Resolve(new ServerFlags(KeyFile: key, Threads: "0")));
        Assert.Contains("--threads", error.Message);
        Assert.Contains("from 1 to 16", error.Message);
    }

    [Fact]
    public void Offloads_are_off_with_the_flag_or_with_offload_false_in_the_config_file()
    {
        using var dir = new TempDirectory();
        var key = dir.KeyFile("psk.key");
        var config = dir.File("server.toml", """
            key_file = "psk.key"
            offload = false
            """);

        Assert.False(ServerConfig.Resolve(new ServerFlags(KeyFile: key, NoOffload: true)).Offload);
        Assert.False(ServerConfig.Resolve(new ServerFlags(Config: config)).Offload);
    }

    [Fact]
    public void Config_file_lists_clients_with_key_files_relative_to_it_and_flags_win()
    {
        using var dir = new TempDirectory();
        dir.KeyFile("pc1.key");
        var config = dir.File("server.toml", """
            subnet = "10.8.0.0/24"
            ports = "50000-50010"
            masquerade = "eth0"
            [[clients]]
            name = "pc1"
            key_file = "pc1.key"
            address = "10.8.0.2"
            """);

        var settings = ServerConfig.Resolve(new ServerFlags(Config: config, Ports: "41000-41001"));

        var client = Assert.Single(settings.Clients);
        Assert.Equal(("pc1", IPv4Address.Parse("10.8.0.2")), (client.Name, client.StaticAddress!.Value));
        Assert.Null(client.Mtu);
        Assert.Equal(IPv4Address.Parse("10.8.0.1"), settings.ServerAddress);
        Assert.Equal((41000, 41001), ((int)settings.FirstPort, (int)settings.LastPort));
        Assert.Equal("eth0", settings.Masquerade);
    }

    [Theory]
    [InlineData("listen_port = 9525", "unknown key 'listen_port'")]
    [InlineData("subnet = \"10.0.0.0/33\"", "server.toml:1: subnet '10.0.0.0/33'")]
    [InlineData("ports = \"9-1\"", "server.toml:1: ports '9-1': expected a port range")]
    [InlineData("[[clients]]\nname = \"a\"\nkey_file = \"k.key\"\naddress = \"10.0.1.5\"", "client 'a': address 10.0.1.5 is not a host address in 10.0.0.0/24")]
    [InlineData("[[clients]]\nname = \"a\"\nkey_file = \"k.key\"\nport = 1", "unknown key 'port' in [[clients]] #1")]
    [InlineData("[[clients]]\nname = \"a\"", "client 'a': give 'key' or 'key_file'")]
    [InlineData("[[clients]]\nname = \"a\"\nkey_file = \"k.key\"\nmtu = 100", "server.toml:4: client 'a': mtu '100': expected an MTU between 576 and 9000")]
    [InlineData("[[clients]]\nname = \"a\"\nkey_file = \"k.key\"\n[[clients]]\nname = \"a\"\nkey_file = \"k.key\"", "client name 'a' is used twice")]
    [InlineData("subnet = ", "server.toml")]
    public void Config_error_says_what_and_where(string toml, string expected)
    {
        using var dir = new TempDirectory();
        dir.KeyFile("k.key");
        var config = dir.File("server.toml", toml);

        var error = Assert.Throws<ConfigException>(() => ServerConfig.Resolve(new ServerFlags(Config: config)));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Bad_flag_value_names_the_flag()
    {
        using var dir = new TempDirectory();

        var error = Assert.Throws<ConfigException>(() =>
            ServerConfig.Resolve(new ServerFlags(KeyFile: dir.KeyFile("psk.key"), Mtu: "100")));

        Assert.Contains("--mtu '100'", error.Message);
    }

    [Fact]
    public void Inline_keys_require_a_private_config_file()
    {
        using var dir = new TempDirectory();
        var config = dir.File("server.toml", $"[[clients]]\nname = \"a\"\nkey = \"{Convert.ToBase64String(new byte[32])}\"\n",
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var error = Assert.Throws<ConfigException>(() => ServerConfig.Resolve(new ServerFlags(Config: config)));

        Assert.Contains("holds keys but is accessible by group or others", error.Message);
    }

    [Fact]
    public void A_server_without_clients_is_refused()
    {
        using var dir = new TempDirectory();
        var config = dir.File("server.toml", "subnet = \"10.0.0.0/24\"");

        var error = Assert.Throws<ConfigException>(() => ServerConfig.Resolve(new ServerFlags(Config: config)));

        Assert.Contains("no clients", error.Message);
    }
}

using MyVpn.Cli;
using Xunit;

namespace MyVpn.Tests.Unit.Cli;

/// <summary>
/// A config error found after the file was parsed (a bad value, an unknown key, a key file that cannot be
/// read, a duplicate name) names the file, the line and the key: <c>server.toml:3: ports '1-': …</c>.
/// </summary>
public sealed class ConfigErrorPositionTests
{
    private const string Clients = """
        # two clients
        [[clients]]
        name = "pc1"
        key_file = "k.key"

        [[clients]]
        name = "pc2"
        key_file = "k.key"
        """;

    [Theory]
    [InlineData("mtu = 1400\nports = \"1-\"\n" + Clients, "server.toml:2: ports '1-': expected a port range")]
    [InlineData("keepalive = 5\ncolour = \"blue\"\n" + Clients, "server.toml:2: unknown key 'colour'")]
    [InlineData("masquerade = \"eth 0\"\n" + Clients, "server.toml:1: masquerade 'eth 0'")]
    [InlineData("key_file = \"missing.key\"\n", "server.toml:1: key_file: key file ")]
    [InlineData(Clients + "\naddress = \"10.0.1.5\"\n", "server.toml:9: client 'pc2': address 10.0.1.5 is not a host address")]
    [InlineData(Clients + "\nkey = \"x\"\n", "server.toml:8: client 'pc2': give 'key' or 'key_file', not both")]
    [InlineData(Clients + "\nport = 1\n", "server.toml:9: unknown key 'port' in [[clients]] #2")]
    [InlineData("[[clients]]\nname = \"pc1\"\nkey_file = \"nope.key\"\n", "server.toml:3: client 'pc1': key_file: key file ")]
    [InlineData("[[clients]]\nname = \"pc1\"\nkey_file = \"k.key\"\n[[clients]]\nname = \"pc1\"\nkey_file = \"k.key\"\n", "server.toml:5: client name 'pc1' is used twice")]
    [InlineData("[[clients]]\nkey_file = \"k.key\"\n", "server.toml:1: [[clients]] #1: 'name' is missing")]
    public void Server_config_error_names_file_line_and_key(string toml, string expected)
    {
        using var dir = new TempDirectory();
        dir.KeyFile("k.key");
        var config = dir.File("server.toml", toml);

        var error = Assert.Throws<ConfigException>(() => ServerConfig.Resolve(new ServerFlags(Config: config)));

        Assert.StartsWith(config, error.Message);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("mtu = \"big\"\n", "server.toml:1: mtu: Expected Integer token but was String.")]
    [InlineData("mtu = 1400\nports = \"1-\nkey_file = \"k.key\"\n", "server.toml:2: ports: Invalid newline in a string")]
    [InlineData("mtu = 1400\n[[clients]\nname = \"a\"\n", "server.toml:2: Expected `]]` but was `]`.")]
    [InlineData("mtu = 1400\ntun = \"tun\\uD800\"\n", "server.toml:2: tun: Invalid Unicode scalar value [D800]")]
    [InlineData("mtu = 1400\ntun = \"tun\\", "server.toml: the file ends inside a string (after a backslash)")]
    public void A_toml_syntax_or_type_error_names_file_line_and_key_once(string toml, string expected)
    {
        using var dir = new TempDirectory();
        var config = dir.File("server.toml", toml);

        var error = Assert.Throws<ConfigException>(() => ServerConfig.Resolve(new ServerFlags(Config: config)));

        Assert.Equal(config[..^"server.toml".Length] + expected, error.Message);
    }

    [Fact]
    public void A_flag_error_names_the_flag_not_the_file()
    {
        using var dir = new TempDirectory();
        dir.KeyFile("k.key");
        var config = dir.File("server.toml", "ports = \"41000-41010\"\n" + Clients);

        var error = Assert.Throws<ConfigException>(() => ServerConfig.Resolve(new ServerFlags(Config: config, Ports: "9-1")));

        Assert.StartsWith("--ports '9-1': ", error.Message);
    }

    [Fact]
    public void A_bad_server_flag_is_refused_naming_the_flag()
    {
        using var dir = new TempDirectory();

        var error = Assert.Throws<ConfigException>(() => ClientConfig.Resolve(new ClientFlags(Server: "vpn.example:99999", KeyFile: dir.KeyFile("k.key"))));

        Assert.Equal("--server 'vpn.example:99999': the port is not a number from 1 to 65535", error.Message);
    }

    [Theory]
    [InlineData("server = \"192.0.2.1\"\n\nname = \"a\"\nlog_level = \"loud\"\nkey_file = \"k.key\"\n", "client.toml:4: log_level 'loud'")]
    [InlineData("server = \"192.0.2.1\"\nkey_file = \"gone.key\"\n", "client.toml:2: key_file: key file ")]
    [InlineData("server = \"192.0.2.1\"\nkey_file = \"k.key\"\nthreads = 0\n", "client.toml:3: threads '0'")]
    [InlineData("server = \"192.0.2.1\"\nkey_file = \"k.key\"\n\nroute = 1\n", "client.toml:4: unknown key 'route'")]
    [InlineData("key_file = \"k.key\"\nserver = \"192.0.2.1:0\"\n", "client.toml:2: server '192.0.2.1:0': the port is not a number from 1 to 65535")]
    [InlineData("key_file = \"k.key\"\n\nserver = \":9525\"\n", "client.toml:3: server ':9525': the host is missing")]
    public void Client_config_error_names_file_line_and_key(string toml, string expected)
    {
        using var dir = new TempDirectory();
        dir.KeyFile("k.key");
        var config = dir.File("client.toml", toml);

        var error = Assert.Throws<ConfigException>(() => ClientConfig.Resolve(new ClientFlags(Config: config)));

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}

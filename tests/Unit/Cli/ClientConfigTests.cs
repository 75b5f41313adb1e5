using MyVpn.Cli;
using MyVpn.Net;
using Xunit;

namespace MyVpn.Tests.Unit.Cli;

public sealed class ClientConfigTests
{
    [Fact]
    public void Flags_alone_give_a_client_named_after_its_host_on_port_9525()
    {
        using var dir = new TempDirectory();

        var settings = ClientConfig.Resolve(new ClientFlags(Server: "192.0.2.1", KeyFile: dir.KeyFile("psk.key")));

        Assert.Equal(Environment.MachineName, settings.Name);
        Assert.Equal("tun0", settings.Tun);
        Assert.False(settings.DefaultRoute);
        Assert.Equal(NetEndpoint.Parse("192.0.2.1:9525"), settings.ResolveServer());
    }

    [Fact]
    public void Config_file_supplies_what_flags_leave_out()
    {
        using var dir = new TempDirectory();
        dir.KeyFile("pc1.key");
        var config = dir.File("client.toml", """
            server = "192.0.2.1:9600"
            name = "pc1"
            key_file = "pc1.key"
            default_route = true
            """);

        var settings = ClientConfig.Resolve(new ClientFlags(Config: config, Tun: "vpn0"));

        Assert.Equal(("pc1", "vpn0", true), (settings.Name, settings.Tun, settings.DefaultRoute));
        Assert.Equal(NetEndpoint.Parse("192.0.2.1:9600"), settings.ResolveServer());
    }

    [Fact]
    public void Missing_server_is_explained()
    {
        using var dir = new TempDirectory();

        var error = Assert.Throws<ConfigException>(() => ClientConfig.Resolve(new ClientFlags(KeyFile: dir.KeyFile("k.key"))));

        Assert.Contains("no server", error.Message);
    }

    [Fact]
    public void Name_longer_than_the_handshake_carries_is_refused()
    {
        using var dir = new TempDirectory();

        var error = Assert.Throws<ConfigException>(() =>
            ClientConfig.Resolve(new ClientFlags(Server: "192.0.2.1", KeyFile: dir.KeyFile("k.key"), Name: new string('n', 65))));

        Assert.Contains("--name", error.Message);
        Assert.Contains("1 to 64 bytes", error.Message);
    }

    [Fact]
    public void Missing_key_is_explained()
    {
        var error = Assert.Throws<ConfigException>(() => ClientConfig.Resolve(new ClientFlags(Server: "192.0.2.1")));

        Assert.Contains("no key", error.Message);
    }

    [Fact]
    public void Server_port_that_is_not_a_number_is_refused()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<ConfigException>(() =>
            ClientConfig.Resolve(new ClientFlags(Server: "192.0.2.1:http", KeyFile: dir.KeyFile("k.key"))));

        Assert.Equal("--server '192.0.2.1:http': the port is not a number from 1 to 65535", error.Message);
    }

    [Fact]
    public void Threads_come_from_the_flag_or_the_config_file_and_refuse_nonsense()
    {
        using var dir = new TempDirectory();
        dir.KeyFile("pc1.key");
        var config = dir.File("client.toml", """
            server = "192.0.2.1"
            key_file = "pc1.key"
            threads = 2
            """);

        Assert.Equal(2, ClientConfig.Resolve(new ClientFlags(Config: config)).Threads);
        Assert.Equal(1, ClientConfig.Resolve(new ClientFlags(Config: config, Threads: "1")).Threads);
        var error = Assert.Throws<ConfigException>(() => ClientConfig.Resolve(new ClientFlags(Config: config, Threads: "many")));
        Assert.Contains("--threads", error.Message);
    }

    [Fact]
    public void Fwmark_is_9525_unless_the_flag_or_the_config_file_says_otherwise_and_refuses_a_reserved_table()
    {
        using var dir = new TempDirectory();
        dir.KeyFile("pc1.key");
        var config = dir.File("client.toml", """
            server = "192.0.2.1"
            key_file = "pc1.key"
            default_route = true
            fwmark = 51821
            """);
        var reserved = dir.File("reserved.toml", """
            server = "192.0.2.1"
            key_file = "pc1.key"
            fwmark = 254
            """);

        Assert.Equal(9525u, ClientConfig.Resolve(new ClientFlags(Server: "192.0.2.1", KeyFile: dir.KeyFile("k.key"))).FirewallMark);
        Assert.Equal(51821u, ClientConfig.Resolve(new ClientFlags(Config: config)).FirewallMark);
        Assert.Equal(7u, ClientConfig.Resolve(new ClientFlags(Config: config) { FirewallMark = "7" }).FirewallMark);
        var error = Assert.Throws<ConfigException>(() => ClientConfig.Resolve(new ClientFlags(Config: reserved)));
        Assert.Equal($"{reserved}:3: fwmark '254': expected a firewall mark and table number from 1 to 2147483647, not 253 to 255 (the kernel's default, main and local tables)", error.Message);
        Assert.Contains("--fwmark '0x10'", Assert.Throws<ConfigException>(() => ClientConfig.Resolve(new ClientFlags(Config: config) { FirewallMark = "0x10" })).Message);
    }

    [Fact]
    public void Offloads_are_on_unless_the_flag_or_the_config_file_turns_them_off()
    {
        using var dir = new TempDirectory();
        dir.KeyFile("pc1.key");
        var off = dir.File("off.toml", """
            server = "192.0.2.1"
            key_file = "pc1.key"
            offload = false
            """);
        var on = dir.File("on.toml", """
            server = "192.0.2.1"
            key_file = "pc1.key"
            """);

        Assert.True(ClientConfig.Resolve(new ClientFlags(Config: on)).Offload);
        Assert.False(ClientConfig.Resolve(new ClientFlags(Config: on, NoOffload: true)).Offload);
        Assert.False(ClientConfig.Resolve(new ClientFlags(Config: off)).Offload);
    }

    [Theory]
    [InlineData("server = \"\"")]
    [InlineData("server = \"  \"")]
    public void Blank_server_is_refused_like_a_missing_one(string line)
    {
        // Found by ConfigFuzzTests at 10^6 cases: an empty server used to be accepted.
        using var dir = new TempDirectory();
        dir.KeyFile("k.key");
        var config = dir.File("client.toml", line + "\nkey_file = \"k.key\"\n");

        var error = Assert.Throws<ConfigException>(() => ClientConfig.Resolve(new ClientFlags(Config: config)));

        Assert.Contains("server", error.Message);
        Assert.Contains("HOST[:PORT]", error.Message);
        Assert.Throws<ConfigException>(() => ClientConfig.Resolve(new ClientFlags(Server: "", KeyFile: Path.Combine(dir.Path, "k.key"))));
    }

    [Fact]
    public void Mtu_comes_from_the_flag_over_the_file_and_bounds_the_tunnel_else_the_path_mtu_less_60_does()
    {
        using var dir = new TempDirectory();
        dir.KeyFile("pc1.key");
        var config = dir.File("client.toml", "server = \"192.0.2.1\"\nkey_file = \"pc1.key\"\nmtu = 1300\n");
        var server = NetEndpoint.Parse("192.0.2.1:9525");

        var fromFile = ClientConfig.Resolve(new ClientFlags(Config: config));
        var fromFlag = ClientConfig.Resolve(new ClientFlags(Config: config) { Mtu = "1200" });
        var unset = ClientConfig.Resolve(new ClientFlags(Server: "192.0.2.1", KeyFile: dir.KeyFile("psk.key")));

        Assert.Equal((1300, 1300), (fromFile.Mtu, fromFile.ToOptions(server, null, pathMtu: 1280).Mtu));
        Assert.Equal(1200, fromFlag.Mtu);
        Assert.Equal(1220, unset.ToOptions(server, null, pathMtu: 1280).Mtu);
        Assert.Null(unset.ToOptions(server, null, pathMtu: null).Mtu);
        Assert.Equal(1200, unset.ToOptions(NetEndpoint.Parse("[2001:db8::1]:9525"), null, pathMtu: 1280).Mtu);
    }

    [Fact]
    public void Bad_mtu_names_the_file_line_and_key()
    {
        using var dir = new TempDirectory();
        dir.KeyFile("pc1.key");
        var config = dir.File("client.toml", "server = \"192.0.2.1\"\nkey_file = \"pc1.key\"\nmtu = 70000\n");

        var error = Assert.Throws<ConfigException>(() => ClientConfig.Resolve(new ClientFlags(Config: config)));

        Assert.Contains("client.toml:3: mtu '70000': expected an MTU between 576 and 9000", error.Message);
    }
}
